package io.painjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.painjournal.catalogue.Provider;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Part 7 of bench/run: the same journal for every user, at 1k, 10k and 100k users. Each user {@code s-<i>}
 * has {@value #SESSIONS} sessions a week apart, each followed up by a journal entry a day later, written
 * straight into the journal topic (keyed and sealed as ingest writes them) (the cost measured here is analytics' state, not ingest's).
 * <p>Usage: {@code Scale seed <bootstrap> <users> <masterKeyFile>} or {@code Scale wait <baseUrl> <token> <sessions>}
 * (until {@code GET /v1/techniques} counts that many sessions). Prints {@code RESULT name value} lines.
 */
public final class Scale {

    static final int SESSIONS = 4;
    /** Every technique of the catalogue; OpenLoop posts all but the last (melt is its probes' marker). */
    static final List<String> TECHNIQUES = List.of(
            "swedish",
            "deep-tissue",
            "trigger-point",
            "shiatsu",
            "thai",
            "self-trigger-point",
            "tennis-ball",
            "bath-ball",
            "trigger-point-platform",
            "partner",
            "melt");

    private static final Instant FIRST = Instant.parse("2026-09-07T18:00:00Z");

    private Scale() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed" -> seed(args[1], Integer.parseInt(args[2]), java.nio.file.Path.of(args[3]));
            case "wait" -> waitFor(args[1], args[2], Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    private static void seed(String bootstrap, int users, java.nio.file.Path masterKeyFile) throws Exception {
        io.painjournal.privacy.MasterKey master = io.painjournal.privacy.MasterKey.read(masterKeyFile);
        io.painjournal.privacy.Pseudonyms pseudonyms = new io.painjournal.privacy.Pseudonyms(master);
        io.painjournal.privacy.DataKeys dataKeys = new io.painjournal.privacy.DataKeys(master);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long t0 = System.nanoTime();
        long events = 0;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            // as ingest does: each user's data key on the keys topic before any event sealed with it
            io.painjournal.privacy.DataKeys.DataKey[] keys = new io.painjournal.privacy.DataKeys.DataKey[users];
            for (int u = 0; u < users; u++) {
                keys[u] = dataKeys.newKey();
                String record = keys[u].recordKey(pseudonyms.of("s-" + u));
                producer.send(Topics.keysRecord(
                        record,
                        dataKeys.wrap(record, keys[u]),
                        producer.partitionsFor(Topics.KEYS_NAME).size()));
            }
            producer.flush();
            for (int u = 0; u < users; u++) {
                String user = "s-" + u;
                String pseudonym = pseudonyms.of(user);
                io.painjournal.privacy.DataKeys.DataKey key = keys[u];
                for (int i = 0; i < SESSIONS; i++) {
                    Instant at = FIRST.plus(Duration.ofDays(7L * i)).plusSeconds(u % 3600);
                    int before = 4 + (u + i) % 6;
                    send(
                            producer,
                            pseudonym,
                            dataKeys,
                            key,
                            new Session(
                                    UUID.randomUUID().toString(),
                                    user,
                                    TECHNIQUES.get((u + i) % TECHNIQUES.size()),
                                    at,
                                    10 + (u % 50),
                                    before,
                                    before - (u + 2 * i) % (before + 1),
                                    Provider.SELF,
                                    (long) (u % 4) * 500,
                                    "GBP",
                                    null,
                                    null,
                                    "scale"));
                    send(
                            producer,
                            pseudonym,
                            dataKeys,
                            key,
                            new PainScore(
                                    UUID.randomUUID().toString(),
                                    user,
                                    at.plus(Duration.ofHours(24)),
                                    (u + i) % 8,
                                    5,
                                    4,
                                    6,
                                    3,
                                    false));
                    events += 2;
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("seeded %d users, %d events in %.1f s%n", users, events, seconds);
        System.out.printf("RESULT scale_%d_events %d%n", users, events);
    }

    private static void send(
            KafkaProducer<String, byte[]> producer,
            String pseudonym,
            io.painjournal.privacy.DataKeys dataKeys,
            io.painjournal.privacy.DataKeys.DataKey key,
            JournalEvent e) {
        producer.send(new ProducerRecord<>(
                Topics.JOURNAL.name(), pseudonym, dataKeys.seal(pseudonym, key, EventCodec.encode(e))));
    }

    private static void waitFor(String base, String token, long sessions) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(20).toNanos();
        long counted = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/techniques"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                counted = 0;
                for (JsonNode t : json.readTree(r.body()).get("techniques")) {
                    counted += t.get("sessions").asLong();
                }
                if (counted >= sessions) {
                    System.out.printf("RESULT counted_seconds %.1f%n", (System.nanoTime() - t0) / 1e9);
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("only " + counted + " of " + sessions + " sessions counted in 20 minutes");
    }
}
