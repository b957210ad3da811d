package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.MasterKey;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar at its default log level (INFO) goes through every path that could log a user's data —
 * accepted, duplicate, invalid and forbidden requests, reads, the research export, a deletion, and corrupt
 * records on the journal topic that quote the user's id and free text — and its whole output is then
 * searched for that id and text.
 */
class PrivacyIT {

    private static final String USER = "u-canary-5d1e";
    private static final String FREE_TEXT = "canaryfreetext";

    @Test
    void noUserIdOrFreeTextInTheLogs(@TempDir Path tmp) throws Exception {
        JarProcess run = JarProcess.start(tmp.resolve("data"), Map.of("JWT_SECRET", TestJwt.SECRET), "privacy");
        String err;
        String out;
        try {
            TestHttp http = new TestHttp(run.port());
            String own = TestJwt.token(USER, "user");
            String admin = TestJwt.token("ops", "admin");
            String eventId = UUID.randomUUID().toString();
            String session = IngestEndToEndTest.session(
                    eventId, USER, ",\"bodyArea\":\"" + FREE_TEXT + "\",\"cohort\":\"" + FREE_TEXT + "\"");
            assertEquals(202, http.postJson("/v1/sessions", own, session).status());
            assertEquals(200, http.postJson("/v1/sessions", own, session).status());
            assertEquals(
                    400,
                    http.postJson(
                                    "/v1/sessions",
                                    own,
                                    session.replace("\"painAfter\":4", "\"painAfter\":\"" + FREE_TEXT + "\""))
                            .status());
            assertEquals(
                    400,
                    http.postJson("/v1/sessions", own, "{\"userId\":\"" + USER + "\",\"x\":" + FREE_TEXT)
                            .status());
            assertEquals(
                    403,
                    http.postJson("/v1/sessions", TestJwt.token("u-other", "user"), session)
                            .status());
            assertEquals(
                    403,
                    http.get("/v1/users/" + USER + "/journal", TestJwt.token("u-other", "user"))
                            .status());
            assertEquals(
                    404, http.get("/v1/users/" + USER + "/" + FREE_TEXT, own).status());
            assertEquals(
                    401,
                    http.get("/v1/users/" + USER + "/techniques", "x." + FREE_TEXT + ".y")
                            .status());
            corruptRecords(run.bootstrap(), MasterKey.read(tmp.resolve("data").resolve("master.key")));
            TestApps.await("the session counted", Duration.ofSeconds(60), () -> {
                TestHttp.Response r = http.get("/v1/users/" + USER + "/techniques", own);
                return r.status() == 200 && r.json().get("techniques").size() == 1;
            });
            assertEquals(
                    200,
                    http.get("/v1/research/trends?format=csv&cohort=" + FREE_TEXT, admin)
                            .status());
            assertEquals(202, http.delete("/v1/users/" + USER, own).status());
            TestApps.await("the corrupt records skipped and logged", Duration.ofSeconds(60), () -> {
                try {
                    return run.err().contains("journal record has a bad time")
                            && run.err().contains("journal record is not JSON")
                            && run.err().contains("not a sealed journal record")
                            && run.err().contains("journal record lacks 'painBefore'");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertDeadLetters(
                    run.bootstrap(),
                    List.of(
                            "journal record has a bad time in 'startedAt'",
                            "journal record is not JSON (at byte ",
                            "unknown journal record type",
                            "journal record lacks 'painBefore'",
                            "not a sealed journal record"));
            String metrics = http.get("/metrics", null).body();
            assertTrue(
                    metrics.lines().anyMatch(l -> l.matches("painjournal_analytics_dead_letters_total(\\{.*})? 5\\.0")),
                    "the dead letters are counted: " + lineWith(metrics, "dead_letters"));
        } finally {
            run.terminate();
            err = run.err();
            out = run.out();
        }
        assertTrue(err.lines().count() > 10, "the process logged at INFO:\n" + err);
        for (String secret : List.of(USER, FREE_TEXT, "canary")) {
            assertFalse(err.contains(secret), "'" + secret + "' in the log:\n" + lineWith(err, secret));
            assertFalse(out.contains(secret), "'" + secret + "' on stdout:\n" + lineWith(out, secret));
        }
    }

    /**
     * Records no ingest would write, each quoting the user's id and free text: four sealed with a data key
     * of the user (published first, as ingest does) but not valid events, one not sealed at all.
     */
    private static void corruptRecords(String bootstrap, MasterKey master) {
        String pseudonym = new Pseudonyms(master).of(USER);
        DataKeys dataKeys = new DataKeys(master);
        DataKeys.DataKey key = dataKeys.newKey();
        String badTime = "{\"type\":\"session\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + USER
                + "\",\"technique\":\"melt\",\"startedAt\":\"" + FREE_TEXT + " " + USER + "\",\"durationMinutes\":10,"
                + "\"painBefore\":7,\"painAfter\":4}";
        String notJson = "{\"userId\":\"" + USER + "\", " + FREE_TEXT + " " + USER;
        String unknownType = "{\"type\":\"" + USER + "\",\"userId\":\"" + USER + "\"}";
        String noPainBefore = "{\"type\":\"session\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + USER
                + "\",\"technique\":\"melt\",\"startedAt\":\"2026-11-20T18:30:00Z\",\"durationMinutes\":10,"
                + "\"painAfter\":4,\"provider\":\"self\",\"cohort\":\"" + FREE_TEXT + "\"}";
        Map<String, Object> config =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(Topics.keysRecord(
                    key.recordKey(pseudonym),
                    dataKeys.wrap(key.recordKey(pseudonym), key),
                    producer.partitionsFor(Topics.KEYS_NAME).size()));
            producer.flush();
            for (String value : List.of(badTime, notJson, unknownType, noPainBefore)) {
                producer.send(new ProducerRecord<>(
                        Topics.JOURNAL.name(),
                        pseudonym,
                        dataKeys.seal(pseudonym, key, value.getBytes(StandardCharsets.UTF_8))));
            }
            producer.send(
                    new ProducerRecord<>(Topics.JOURNAL.name(), pseudonym, notJson.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    /**
     * The five corrupt records are on the dead-letter topic as they were (still sealed), each with the reason
     * (which quotes nothing of the record) and its offset in the journal topic.
     */
    private static void assertDeadLetters(String bootstrap, List<String> reasons) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        List<ConsumerRecord<byte[], byte[]>> letters = new java.util.ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < reasons.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(letters::add);
            }
        }
        assertEquals(reasons.size(), letters.size(), "one dead letter per corrupt record");
        List<String> seen =
                letters.stream().map(r -> header(r, "__streams.errors.message")).toList();
        for (String reason : reasons) {
            assertTrue(seen.stream().anyMatch(m -> m.startsWith(reason)), reason + " in " + seen);
        }
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertEquals(Topics.JOURNAL.name(), header(letter, "__streams.errors.topic"));
            assertTrue(header(letter, "__streams.errors.offset").matches("\\d+"));
            assertFalse(new String(letter.key(), StandardCharsets.UTF_8).contains(USER), "keyed as the record was");
            assertTrue(
                    Forensics.indexOf(letter.value(), FREE_TEXT.getBytes(StandardCharsets.UTF_8)) < 0
                            || !DataKeys.isSealed(letter.value()),
                    "a sealed record stays sealed on the dead-letter topic");
            assertFalse(header(letter, "__streams.errors.stacktrace").contains(FREE_TEXT), "no data in the reason");
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String lineWith(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).findFirst().orElse("");
    }
}
