package io.painjournal.analytics.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store keys sort the way the range scans of the processor and the readers assume. */
class JournalKeysTest {

    private static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000000");

    @Test
    void timedKeysSortAsTheirInstants() {
        List<Instant> times = List.of(
                Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.EPOCH,
                Instant.parse("1970-01-01T00:00:00.000000001Z"),
                Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("2026-11-24T10:00:00.5Z"),
                Instant.parse("2026-11-24T10:00:01Z"),
                Instant.MAX);
        List<String> keys = new ArrayList<>();
        times.forEach(t -> keys.add(JournalKeys.timed("u", t, ID)));
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        assertEquals(keys, sorted);
    }

    @Test
    void aTimeRangeHoldsExactlyTheRowsAtItsEndsAndBetween() {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        String from = JournalKeys.timeFrom("u", t);
        String to = JournalKeys.timeTo("u", t.plusSeconds(60));
        assertTrue(inRange(JournalKeys.timed("u", t, ID), from, to));
        assertTrue(inRange(JournalKeys.timed("u", t.plusSeconds(60), UUID.randomUUID()), from, to));
        assertTrue(!inRange(JournalKeys.timed("u", t.minusNanos(1), ID), from, to));
        assertTrue(!inRange(JournalKeys.timed("u", t.plusSeconds(60).plusNanos(1), ID), from, to));
    }

    @Test
    void aUsersRangeHoldsNoOtherUsersRows() {
        // User ids are [A-Za-z0-9._-]{1,64}: every other id either differs before the '|' or is longer.
        for (String other : List.of("bob2", "bo", "bob.x", "bob-", "bob_", "Bob", "boc", "bob0")) {
            for (String key : List.of(
                    JournalKeys.seen(other, ID),
                    JournalKeys.timed(other, Instant.EPOCH, ID),
                    JournalKeys.contribution(other, AggregateKey.technique("melt")))) {
                assertTrue(!inRange(key, JournalKeys.userFrom("bob"), JournalKeys.userTo("bob")), key);
            }
        }
        assertTrue(inRange(
                JournalKeys.contribution(
                        "bob", AggregateKey.research("melt", "c-1", java.time.LocalDate.parse("2026-11-23"))),
                JournalKeys.userFrom("bob"),
                JournalKeys.userTo("bob")));
        assertEquals("T|melt", JournalKeys.aggregateOf(JournalKeys.contribution("bob", "T|melt")));
    }

    private static boolean inRange(String key, String from, String to) {
        return key.compareTo(from) >= 0 && key.compareTo(to) <= 0;
    }
}
