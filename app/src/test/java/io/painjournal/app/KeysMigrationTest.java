package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.painjournal.events.EventCodec;
import io.painjournal.events.Session;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.MasterKey;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory of the version before: the users' data keys on the one-partition keys topic, their events
 * sealed with them on the journal. At the next start the keys are copied onto the keys topic partitioned as the
 * journal is, the old topic is deleted, and every event is counted with its key.
 */
class KeysMigrationTest {

    private static final int USERS = 6;

    @Test
    void theOldKeysAreCopiedOntoTheirUsersPartitionsAndEveryEventOpens(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        MasterKey master = MasterKey.read(Path.of(TestApps.masterKeyFile()));
        try (Application app = TestApps.start(env)) {
            writeOldLayout(app.bootstrapServers(), master);
        }
        try (Application app = TestApps.start(env)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", app.bootstrapServers()))) {
                assertFalse(admin.listTopics().names().get().contains(Topics.KEYS_V1), "the old keys topic is gone");
            }
            Pseudonyms pseudonyms = new Pseudonyms(master);
            int partitions = Integer.parseInt(env.get("KAFKA_PARTITIONS"));
            List<ConsumerRecord<String, byte[]>> keys =
                    TestApps.readTopic(app.bootstrapServers(), Topics.KEYS_NAME).stream()
                            .filter(r -> r.value() != null && !r.key().startsWith(Topics.HEARTBEAT_KEY))
                            .toList();
            assertEquals(USERS, keys.size(), "every key copied once");
            for (ConsumerRecord<String, byte[]> r : keys) {
                assertEquals(Topics.keysPartition(r.key(), partitions), r.partition(), "on its user's partition");
            }
            TestHttp http = new TestHttp(app.config().httpPort());
            for (int u = 0; u < USERS; u++) {
                String user = "km-" + u;
                String token = TestJwt.token(user, "user");
                TestApps.await(
                        user + "'s session counted with its copied key",
                        Duration.ofSeconds(60),
                        () -> http.get("/v1/users/" + user + "/techniques", token)
                                .body()
                                .contains("\"sessions\":1"));
            }
        }
    }

    /** What the version before wrote: a key per user on the old topic, then an event sealed with it. */
    private static void writeOldLayout(String bootstrap, MasterKey master) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.KEYS_V1, 1, (short) 1)))
                    .all()
                    .get();
        }
        Pseudonyms pseudonyms = new Pseudonyms(master);
        DataKeys dataKeys = new DataKeys(master);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int u = 0; u < USERS; u++) {
                String user = "km-" + u;
                String pseudonym = pseudonyms.of(user);
                DataKeys.DataKey key = dataKeys.newKey();
                String recordKey = key.recordKey(pseudonym);
                producer.send(new ProducerRecord<>(Topics.KEYS_V1, recordKey, dataKeys.wrap(recordKey, key)))
                        .get();
                Session session = JournalMigrationTest.session(user, null);
                producer.send(new ProducerRecord<>(
                        Topics.JOURNAL.name(), pseudonym, dataKeys.seal(pseudonym, key, EventCodec.encode(session))));
            }
            producer.flush();
        }
    }
}
