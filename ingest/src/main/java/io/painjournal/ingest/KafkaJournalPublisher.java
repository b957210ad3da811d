package io.painjournal.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka {@link JournalPublisher}: one idempotent producer with {@code acks=all}, shared by every
 * HTTP verticle instance (KafkaProducer is thread-safe and batches across them).
 */
public final class KafkaJournalPublisher implements JournalPublisher {

    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics metrics;

    KafkaJournalPublisher(Producer<String, byte[]> producer, KafkaClientMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
    }

    /**
     * @param deliveryTimeout how long a write may take before the client is told 503: bounds batching,
     *                        retries and the wait for replicas together
     */
    public static KafkaJournalPublisher create(
            String bootstrapServers, Duration deliveryTimeout, MeterRegistry registry) {
        Producer<String, byte[]> producer = new KafkaProducer<>(
                producerConfig(bootstrapServers, deliveryTimeout), new StringSerializer(), new ByteArraySerializer());
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return new KafkaJournalPublisher(producer, metrics);
    }

    static Map<String, Object> producerConfig(String bootstrapServers, Duration deliveryTimeout) {
        int delivery = (int) deliveryTimeout.toMillis();
        int linger = 5;
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "pain-journal-ingest");
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // delivery.timeout.ms must cover linger + one request; everything is bounded by it.
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, delivery - linger - 500));
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(delivery, 2000));
        return c;
    }

    @Override
    public CompletableFuture<Void> publish(JournalEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.JOURNAL.name(), event.userId(), EventCodec.encode(event));
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new PublishFailedException(
                            "Kafka did not acknowledge the event: " + error.getMessage(), error));
                }
            });
        } catch (RuntimeException e) { // metadata not available within max.block.ms, buffer full, closed
            done.completeExceptionally(new PublishFailedException("Kafka cannot take the event: " + e.getMessage(), e));
        }
        return done;
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        metrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
