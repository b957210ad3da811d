package io.painjournal.ingest;

import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-shot, at the first start of this version, before ingest takes events: copies the journal of earlier
 * versions ({@link Topics#JOURNAL_V1}: keyed by plain user id, plain JSON, kept forever) into the sealed
 * journal through the ordinary {@link JournalPublisher} (pseudonym keys, each user's data key), partition by
 * partition in offset order, so each user's order stays; then deletes it. A record that does not decode
 * goes to the dead-letter topic (kept 14 days) instead. Stopped half-way, it starts over at the next start:
 * the copies made twice count once (analytics counts each event id once).
 */
final class JournalMigration {

    private static final Logger LOG = LoggerFactory.getLogger(JournalMigration.class);
    private static final int BATCH = 5_000;

    private JournalMigration() {}

    /** Migrates if the old journal exists; returns the number of events copied. */
    static long runIfNeeded(String bootstrapServers, JournalPublisher publisher, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Set<String> topics = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!topics.contains(Topics.JOURNAL_V1)) {
                return 0;
            }
            LOG.info("copying the unencrypted journal {} into {} (once)", Topics.JOURNAL_V1, Topics.JOURNAL.name());
            long copied = copy(bootstrapServers, publisher, timeout);
            admin.deleteTopics(List.of(Topics.JOURNAL_V1)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info(
                    "copied {} events sealed into {} and deleted {}", copied, Topics.JOURNAL.name(), Topics.JOURNAL_V1);
            return copied;
        }
    }

    private static long copy(String bootstrapServers, JournalPublisher publisher, Duration timeout) throws Exception {
        long copied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOURNAL_V1, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            for (TopicPartition partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                while (consumer.position(partition) < end) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        JournalEvent event;
                        try {
                            event = EventCodec.decode(record.value());
                        } catch (IllegalArgumentException e) {
                            deadLetters.send(
                                    new ProducerRecord<>(Topics.DEAD_LETTERS.name(), record.key(), record.value()));
                            continue;
                        }
                        pending.add(publisher.publish(event));
                        copied++;
                        if (pending.size() >= BATCH) {
                            awaitAll(pending, timeout);
                        }
                    }
                }
                awaitAll(pending, timeout);
            }
            deadLetters.flush();
        }
        return copied;
    }

    private static void awaitAll(List<CompletableFuture<Void>> pending, Duration timeout) throws Exception {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.clear();
    }
}
