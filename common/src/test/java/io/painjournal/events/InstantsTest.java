package io.painjournal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path reads exactly what {@link Instant#parse} reads, and refuses what it refuses. */
class InstantsTest {

    @Test
    void whatInstantToStringWritesComesBackTheSame() {
        Random random = new Random(42);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), nanos);
            assertEquals(t, Instants.parse(t.toString()), t.toString());
        }
    }

    @Test
    void otherFormsAndBadOnesAreInstantParsesBusiness() {
        for (String s : List.of(
                "2026-11-24T10:00:00.1Z",
                "2026-11-24T10:00:00.123456789Z",
                "2024-02-29T23:59:59Z",
                "2026-11-24T23:59:60Z",
                "+12026-11-24T10:00:00Z",
                "2026-11-24T10:00:00.Z")) {
            assertEquals(Instant.parse(s), Instants.parse(s), s);
        }
        for (String s : List.of(
                "2026-02-29T10:00:00Z",
                "2026-13-01T10:00:00Z",
                "2026-11-24T24:00:01Z",
                "2026-11-24T10:00:00.1234567890Z",
                "2026-11-2xT10:00:00Z",
                "2026-11-24 10:00:00Z",
                "2026-11-24T10:00:00",
                "")) {
            assertThrows(DateTimeException.class, () -> Instants.parse(s), s);
            assertThrows(DateTimeException.class, () -> Instant.parse(s), s);
        }
    }
}
