package io.painjournal.app;

import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/** Starting the application in-process and reading back what it wrote, for end-to-end tests. */
final class TestApps {

    private TestApps() {}

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment of a test instance: loopback, a free port, a fixed secret, its own data. */
    static Map<String, String> env(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", Integer.toString(freePort()));
        env.put("HTTP_INSTANCES", "2");
        env.put("DATA_DIR", dataDir.toString());
        env.put("JWT_SECRET", TestJwt.SECRET);
        env.put("KAFKA_PARTITIONS", "3");
        // Tests fire thousands of requests from one address and token; LimitsTest checks the limits.
        env.put("RATE_LIMIT_TOKEN_PER_S", "0");
        env.put("RATE_LIMIT_ADDRESS_PER_S", "0");
        // One master key for every process of a test, as a deployment shares one (required with an external Kafka).
        env.put("MASTER_KEY_FILE", masterKeyFile());
        return env;
    }

    private static Path masterKey;

    /** A master key file shared by every test process of this JVM. */
    static synchronized String masterKeyFile() {
        if (masterKey == null) {
            try {
                Path dir = Files.createTempDirectory("pj-master-key");
                masterKey = dir.resolve("master.key");
                MasterKeys.createIfAbsent(masterKey);
                dir.toFile().deleteOnExit();
                masterKey.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return masterKey.toString();
    }

    static Application start(Map<String, String> env) throws Exception {
        return Application.start(AppConfig.fromEnv(env));
    }

    /** {@link #readJournal(String, io.painjournal.privacy.MasterKey)} with the tests' master key. */
    static List<ConsumerRecord<String, JournalEvent>> readJournal(String bootstrap) {
        try {
            return readJournal(bootstrap, io.painjournal.privacy.MasterKey.read(Path.of(masterKeyFile())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every record of the journal topic, read from the beginning to the current end and opened with the data
     * keys of the keys topic, as records keyed by the user id. Checks on the way that each is keyed by its
     * user's pseudonym and sealed.
     */
    static List<ConsumerRecord<String, JournalEvent>> readJournal(
            String bootstrap, io.painjournal.privacy.MasterKey master) {
        var pseudonyms = new io.painjournal.privacy.Pseudonyms(master);
        var dataKeys = new io.painjournal.privacy.DataKeys(master);
        Map<String, byte[]> keys = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readTopic(bootstrap, Topics.KEYS_NAME)) {
            keys.put(r.key(), r.value());
        }
        List<ConsumerRecord<String, JournalEvent>> records = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readTopic(bootstrap, Topics.JOURNAL.name())) {
            String keyRecord = r.key() + "|" + io.painjournal.privacy.DataKeys.keyIdOf(r.value());
            if (keys.get(keyRecord) == null) {
                continue; // a forgotten user's record: its key is destroyed
            }
            JournalEvent event = EventCodec.decode(
                    dataKeys.open(r.key(), dataKeys.unwrap(keyRecord, keys.get(keyRecord)), r.value()));
            if (!pseudonyms.of(event.userId()).equals(r.key())) {
                throw new AssertionError("a journal record not keyed by its user's pseudonym");
            }
            records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), event.userId(), event));
        }
        return records;
    }

    /** Every record of a topic, from the beginning to the current end. */
    static List<ConsumerRecord<String, byte[]>> readTopic(String bootstrap, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(r);
                }
            }
        }
        return records;
    }

    static Set<String> eventIds(List<ConsumerRecord<String, JournalEvent>> records) {
        return records.stream().map(r -> r.value().eventId()).collect(Collectors.toSet());
    }

    /**
     * A wait for {@code what}: its condition is evaluated at once, then every {@code interval}, on the test's own
     * thread, until it holds or {@code timeout} has passed.
     */
    static ConditionFactory polling(String what, Duration timeout, Duration interval) {
        return Awaitility.await(what)
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(interval)
                .pollInSameThread();
    }

    /** Polls {@code condition} until it holds, failing the test with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, condition, () -> "");
    }

    /** As {@link #await(String, Duration, BooleanSupplier)}, with what {@code state} says at a timeout. */
    static void await(
            String what, Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> state) {
        try {
            polling(what, timeout, Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + state.get(), e);
        }
    }
}
