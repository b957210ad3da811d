package io.painjournal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.painjournal.events.EventCodec;
import io.painjournal.validation.EventValidator;
import io.painjournal.validation.Validated;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stream thread's decode cost: nanoseconds per journal record read by {@link EventCodec#decode}, over
 * the sample journal's records as ingest writes them (its real mix of sessions and entries). Warms up,
 * then prints the median of five rounds.
 * {@code java -cp app/target/pain-journal.jar:bench/target/classes io.painjournal.bench.CodecSpeed
 * [samples/sample-journal.ndjson]}
 */
public final class CodecSpeed {

    private static final int PER_ROUND = 2_000_000;

    private CodecSpeed() {}

    public static void main(String[] args) throws IOException {
        Path sample = Path.of(args.length > 0 ? args[0] : "samples/sample-journal.ndjson");
        EventValidator validator =
                new EventValidator(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
        ObjectMapper json = new ObjectMapper();
        List<byte[]> records = new ArrayList<>();
        for (String line : Files.readAllLines(sample)) {
            if (validator.batchItem(json.readTree(line)) instanceof Validated.Valid<?> valid) {
                records.add(EventCodec.encode((io.painjournal.events.JournalEvent) valid.value()));
            }
        }
        byte[][] mix = records.toArray(new byte[0][]);
        long sink = 0;
        double[] rounds = new double[8];
        for (int r = 0; r < rounds.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < PER_ROUND; i++) {
                sink += EventCodec.decode(mix[i % mix.length]).userId().length();
            }
            rounds[r] = (System.nanoTime() - start) / (double) PER_ROUND;
        }
        double[] timed = Arrays.copyOfRange(rounds, 3, rounds.length); // the first three warm up
        Arrays.sort(timed);
        System.out.printf(
                "decode: %.0f ns per journal record (%d records of %s; median of %d rounds of %,d; checksum %d)%n",
                timed[timed.length / 2], mix.length, sample, timed.length, PER_ROUND, sink);
    }
}
