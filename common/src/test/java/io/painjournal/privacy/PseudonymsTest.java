package io.painjournal.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PseudonymsTest {

    private static final MasterKey MASTER = MasterKey.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

    @Test
    void theSameUserAlwaysGetsTheSamePseudonymAndItNamesNoOne() {
        Pseudonyms pseudonyms = new Pseudonyms(MASTER);
        String p = pseudonyms.of("u-1029");
        assertEquals(p, new Pseudonyms(MASTER).of("u-1029"), "stable: a restart or another instance agrees");
        assertTrue(p.matches("[A-Za-z0-9_-]{22}"), p);
        assertFalse(p.contains("1029"));
        assertEquals(
                "k4nBXpXC4RnHHyp1BTTScQ",
                p,
                "pinned (checked with Python's hmac): a changed derivation would orphan every stored row");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(pseudonyms.of("u-" + i)), "no collision in 10,000 users");
        }
    }

    @Test
    void anotherMasterKeyGivesOtherPseudonyms() {
        MasterKey other = MasterKey.parse(MasterKey.generate());
        assertNotEquals(new Pseudonyms(MASTER).of("u-1"), new Pseudonyms(other).of("u-1"));
        assertNotEquals(MASTER, other);
        assertFalse(MASTER.toString().contains("AAEC"), "the key is never printed");
    }

    @Test
    void aMasterKeyIsBase64OfAtLeast256Bits() {
        assertThrows(IllegalArgumentException.class, () -> MasterKey.parse("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> MasterKey.parse("c2hvcnQ="));
        assertEquals(MASTER, MasterKey.parse("  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"));
    }
}
