package io.painjournal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The written-out bearer check accepts exactly what {@link Callers#BEARER} says of the trimmed header. */
class BearerCheckTest {

    private static final String PIECES = "bBeEaArR \t\n\u000B\f\r\u0001\u00A0xyz.-_=+/\u017F\u212A";

    @Test
    void acceptsWhatThePatternAccepts() {
        SplittableRandom random = new SplittableRandom(3);
        String[] prefixes = {"Bearer ", "bearer\t", "BEARER  ", "Bearer", "Basic ", " bearer ", "Bearerx ", ""};
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            for (int n = random.nextInt(12); n > 0; n--) {
                b.append(
                        random.nextInt(3) == 0
                                ? PIECES.charAt(random.nextInt(PIECES.length()))
                                : (char) ('a' + random.nextInt(26)));
            }
            String header = b.toString();
            boolean expected = Callers.BEARER.matcher(header.trim()).matches();
            assertEquals(expected, Callers.hasBearerCredential(header), "[" + header + "]");
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 20_000 && accepted < 180_000, "accepted " + accepted);
        assertFalse(Callers.hasBearerCredential(null));
        assertFalse(Callers.hasBearerCredential("Bearer "));
        assertFalse(Callers.hasBearerCredential("Bearer a b"));
        assertTrue(Callers.hasBearerCredential("  bEaReR \t eyJ.x.y  "));
    }
}
