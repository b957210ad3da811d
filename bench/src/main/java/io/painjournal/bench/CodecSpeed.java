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
        statsCodecs();
    }

    /**
     * A Stats row (a contribution or an aggregate, up to sixteen reads and writes per session) written and
     * read back, by Jackson's databind (the codec before 2026-12-02) and by the state stores' streaming codec
     * ({@code AnalyticsSerdes.stats()}, the same bytes).
     */
    private static void statsCodecs() throws IOException {
        io.painjournal.analytics.stats.Stats[] values = new io.painjournal.analytics.stats.Stats[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = io.painjournal.analytics.stats.Stats.ofSession(7, i % 8, 10 + i, i % 2 == 0 ? 1500L : null)
                    .withUsers(1);
        }
        com.fasterxml.jackson.databind.ObjectWriter writer =
                io.painjournal.json.Mappers.SMILE.writerFor(io.painjournal.analytics.stats.Stats.class);
        com.fasterxml.jackson.databind.ObjectReader reader =
                io.painjournal.json.Mappers.SMILE.readerFor(io.painjournal.analytics.stats.Stats.class);
        org.apache.kafka.common.serialization.Serde<io.painjournal.analytics.stats.Stats> streaming =
                io.painjournal.analytics.topology.AnalyticsSerdes.stats();
        int perRound = PER_ROUND / 4;
        double[] databind = new double[8];
        double[] stream = new double[8];
        long sink = 0;
        for (int r = 0; r < databind.length; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                io.painjournal.analytics.stats.Stats back =
                        reader.readValue(writer.writeValueAsBytes(values[i % values.length]));
                sink += back.sessions();
            }
            databind[r] = (System.nanoTime() - start) / (double) perRound;
            start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                io.painjournal.analytics.stats.Stats back = streaming
                        .deserializer()
                        .deserialize("t", streaming.serializer().serialize("t", values[i % values.length]));
                sink += back.sessions();
            }
            stream[r] = (System.nanoTime() - start) / (double) perRound;
        }
        System.out.printf(
                "Stats written and read back: databind %.0f ns, streaming %.0f ns (checksum %d)%n",
                median(databind), median(stream), sink);
        System.out.printf(
                "RESULT stats_databind_ns %.0f%nRESULT stats_streaming_ns %.0f%n", median(databind), median(stream));
    }

    /** The median of the rounds after the first three (which warm up). */
    private static double median(double[] rounds) {
        double[] timed = Arrays.copyOfRange(rounds, 3, rounds.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
