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
 * then prints the median of five rounds; then the same for sealing and opening a record with a user's data
 * key (crypto-shredding, AES-256-GCM), the cost ingest and analytics add per event.
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
        System.out.printf(
                "decode: %.0f ns per journal record (%d records of %s; median of %d rounds of %,d; checksum %d)%n",
                median(rounds), mix.length, sample, rounds.length - 3, PER_ROUND, sink);

        // Crypto-shredding: ingest seals every record with the user's data key, analytics opens it.
        io.painjournal.privacy.DataKeys keys = new io.painjournal.privacy.DataKeys(
                io.painjournal.privacy.MasterKey.parse(io.painjournal.privacy.MasterKey.generate()));
        io.painjournal.privacy.DataKeys.DataKey key = keys.newKey();
        String pseudonym = "k4nBXpXC4RnHHyp1BTTScQ";
        byte[][] sealed = new byte[mix.length][];
        double[] seal = new double[8];
        double[] open = new double[8];
        int perRound = PER_ROUND / 4;
        for (int r = 0; r < seal.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                sealed[i % mix.length] = keys.seal(pseudonym, key, mix[i % mix.length]);
            }
            seal[r] = (System.nanoTime() - start) / (double) perRound;
            start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                sink += keys.open(pseudonym, key, sealed[i % mix.length]).length;
            }
            open[r] = (System.nanoTime() - start) / (double) perRound;
        }
        System.out.printf(
                "seal: %.0f ns, open: %.0f ns per journal record (AES-256-GCM, %d bytes on average; checksum %d)%n",
                median(seal),
                median(open),
                Arrays.stream(mix).mapToInt(b -> b.length).sum() / mix.length,
                sink);
        System.out.printf(
                "RESULT decode_ns %.0f%nRESULT seal_ns %.0f%nRESULT open_ns %.0f%n",
                median(rounds), median(seal), median(open));
    }

    /** The median of the rounds after the first three (which warm up). */
    private static double median(double[] rounds) {
        double[] timed = Arrays.copyOfRange(rounds, 3, rounds.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
