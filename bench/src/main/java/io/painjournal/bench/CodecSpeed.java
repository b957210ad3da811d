package io.painjournal.bench;

import io.painjournal.catalogue.Provider;
import io.painjournal.events.EventCodec;
import io.painjournal.events.Intensity;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import java.time.Instant;
import java.util.UUID;

/**
 * The stream thread's decode cost: nanoseconds per journal record read by {@link EventCodec#decode}, over
 * a mix of full and bare sessions and journal entries. Warms up, then prints the median of five rounds.
 * {@code java -cp app/target/pain-journal.jar:bench/target/classes io.painjournal.bench.CodecSpeed}
 */
public final class CodecSpeed {

    private static final int PER_ROUND = 2_000_000;

    private CodecSpeed() {}

    public static void main(String[] args) {
        Instant t = Instant.parse("2026-11-20T18:30:00.123Z");
        JournalEvent[] events = {
            new Session(
                    UUID.randomUUID().toString(),
                    "bench-123",
                    "melt",
                    t,
                    10,
                    7,
                    4,
                    Provider.PROFESSIONAL,
                    1500L,
                    "GBP",
                    "lower-back",
                    Intensity.MODERATE,
                    "arm-a"),
            new Session(
                    UUID.randomUUID().toString(),
                    "bench-123",
                    "tennis-ball",
                    t,
                    25,
                    7,
                    4,
                    Provider.SELF,
                    null,
                    null,
                    null,
                    null,
                    null),
            new PainScore(UUID.randomUUID().toString(), "bench-123", t, 5, 6, 4, 6, 3, false),
            new PainScore(UUID.randomUUID().toString(), "bench-123", t, 0, null, null, null, null, null)
        };
        byte[][] records = new byte[events.length][];
        for (int i = 0; i < events.length; i++) {
            records[i] = EventCodec.encode(events[i]);
        }
        long sink = 0;
        double[] rounds = new double[8];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                sink += EventCodec.decode(records[i % records.length]).userId().length();
            }
            rounds[r] = (System.nanoTime() - start) / (double) PER_ROUND;
        }
        double[] timed = java.util.Arrays.copyOfRange(rounds, 3, rounds.length); // the first three warm up
        java.util.Arrays.sort(timed);
        System.out.printf(
                "decode: %.0f ns per journal record (median of %d rounds of %,d; checksum %d)%n",
                timed[timed.length / 2], timed.length, PER_ROUND, sink);
    }
}
