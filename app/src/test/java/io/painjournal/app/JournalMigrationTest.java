package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.painjournal.catalogue.Provider;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.Session;
import io.painjournal.events.UserForgotten;
import io.painjournal.privacy.MasterKey;
import io.painjournal.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DATA_DIR of a version before encryption: its journal {@code pain-journal.events.v1} holds plain events
 * keyed by user id, among them a user who was forgotten (hidden only, then). At the next start the events
 * are copied sealed into the new journal and the old topic is deleted: everything counts as before, the
 * forgotten user's data is erased within the bound like any other, and a corrupt old record goes to the
 * dead-letter topic instead of stopping the start.
 */
class JournalMigrationTest {

    private static final String KEPT = "old-kept-user";
    private static final String GONE = "old-gone-user";
    private static final String TEXT = "old-private-words-5521";

    @Test
    void theOldJournalIsCopiedSealedAndDeleted(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("ERASURE_MAX_DELAY_S", "30");
        try (Application app = TestApps.start(env)) {
            writeOldJournal(app.bootstrapServers());
        }
        try (Application app = TestApps.start(env)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", app.bootstrapServers()))) {
                assertFalse(admin.listTopics().names().get().contains(Topics.JOURNAL_V1), "the old journal is gone");
            }
            List<JournalEvent> copied = TestApps.readJournal(app.bootstrapServers()).stream()
                    .map(r -> r.value())
                    .toList();
            assertEquals(3, copied.stream().filter(e -> e.userId().equals(KEPT)).count(), "sealed, once each");
            TestHttp http = new TestHttp(app.config().httpPort());
            String token = TestJwt.token(KEPT, "user");
            TestApps.await(
                    "the old sessions counted",
                    Duration.ofSeconds(60),
                    () -> http.get("/v1/users/" + KEPT + "/techniques", token)
                            .body()
                            .contains("\"sessions\":3"));
            // their deletion follows their sessions on their own partition, which may lag the kept user's
            TestApps.await(
                    "the forgotten user counts nowhere",
                    Duration.ofSeconds(30),
                    () -> http.get("/v1/users/" + GONE + "/techniques", TestJwt.token(GONE, "user"))
                            .body()
                            .contains("\"techniques\":[]"));

            Forensics forensics = new Forensics(MasterKey.read(Path.of(TestApps.masterKeyFile())), GONE, TEXT);
            TestApps.await(
                    "the forgotten user's old data erased from disk",
                    Duration.ofSeconds(60),
                    () -> forensics.scan(List.of(dataDir)).isEmpty());
        }
    }

    private static void writeOldJournal(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.JOURNAL_V1, 2, (short) 1)))
                    .all()
                    .get();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                send(producer, session(KEPT, "kept-" + i));
                send(producer, session(GONE, TEXT));
            }
            send(producer, new UserForgotten(UUID.randomUUID().toString(), GONE, Instant.now()));
            producer.send(new ProducerRecord<>(Topics.JOURNAL_V1, KEPT, "not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, JournalEvent e) {
        producer.send(new ProducerRecord<>(Topics.JOURNAL_V1, e.userId(), EventCodec.encode(e)));
    }

    /** A session of {@code user} as an older version kept it (melt, 7 → 4, with {@code bodyArea}). */
    static Session session(String user, String bodyArea) {
        return new Session(
                UUID.randomUUID().toString(),
                user,
                "melt",
                Instant.parse("2026-11-20T18:30:00Z"),
                10,
                7,
                4,
                Provider.SELF,
                null,
                null,
                bodyArea,
                null,
                null);
    }
}
