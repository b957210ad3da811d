package io.painjournal.app;

import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-shot, at the first start of this version, before any role starts: copies the keys topic of earlier
 * versions ({@link Topics#KEYS_V1}, one partition) into {@link Topics#KEYS_NAME}, each record on its user's
 * partition and with its own timestamp, tombstones and erasure markers included; then deletes it. Stopped
 * half-way, it starts over at the next start (the topic is compacted: a record copied twice is kept once).
 * Two processes starting at once may both copy; the second's delete finds the topic gone.
 */
final class KeysMigration {

    private static final Logger LOG = LoggerFactory.getLogger(KeysMigration.class);

    private KeysMigration() {}

    /** Migrates if the old keys topic exists; returns the number of records copied. */
    static long runIfNeeded(Admin admin, String bootstrapServers, Duration timeout) throws Exception {
        Set<String> topics = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!topics.contains(Topics.KEYS_V1)) {
            return 0;
        }
        LOG.info(
                "copying the data keys of {} into {}, partitioned as the journal (once)",
                Topics.KEYS_V1,
                Topics.KEYS_NAME);
        long copied = copy(bootstrapServers, timeout);
        try {
            admin.deleteTopics(List.of(Topics.KEYS_V1)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
        LOG.info("copied {} records into {} and deleted {}", copied, Topics.KEYS_NAME, Topics.KEYS_V1);
        return copied;
    }

    private static long copy(String bootstrapServers, Duration timeout) {
        long copied = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                        io.painjournal.kafka.KeysReader.create(bootstrapServers, "pain-journal-keys-migration");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                ProducerConfig.CLIENT_ID_CONFIG, "pain-journal-keys-migration",
                                ProducerConfig.ACKS_CONFIG, "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            int partitions = producer.partitionsFor(Topics.KEYS_NAME).size();
            List<TopicPartition> old = consumer.partitionsFor(Topics.KEYS_V1, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(old);
            consumer.seekToBeginning(old);
            Map<TopicPartition, Long> end = consumer.endOffsets(old, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (old.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.KEYS_V1 + " to its end in " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || r.key().startsWith(Topics.HEARTBEAT_KEY)) {
                        continue;
                    }
                    producer.send(new ProducerRecord<>(
                            Topics.KEYS_NAME,
                            Topics.keysPartition(r.key(), partitions),
                            r.timestamp(),
                            r.key(),
                            r.value()));
                    copied++;
                }
            }
            producer.flush();
        }
        return copied;
    }
}
