package io.painjournal.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.UserForgotten;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka {@link JournalPublisher}: one idempotent producer with {@code acks=all}, shared by every
 * HTTP verticle instance (KafkaProducer is thread-safe and batches across them). Each event goes out keyed
 * by the user's pseudonym and sealed with the user's data key ({@link UserKeys}): the journal names nobody,
 * and a forgotten user's records in it become unreadable when analytics destroys their keys.
 */
public final class KafkaJournalPublisher implements JournalPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournalPublisher.class);

    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics metrics;
    private final Pseudonyms pseudonyms;
    private final DataKeys dataKeys;
    private final UserKeys keys;
    private final Duration deliveryTimeout;
    /** The producer's free buffer (its metric {@code buffer-available-bytes}), looked up once. */
    private volatile org.apache.kafka.common.Metric bufferAvailable;

    /** Below this much free producer buffer, a send may wait for memory: {@link #ready} says no. */
    static final long MIN_FREE_BUFFER_BYTES = 4L * 1024 * 1024;

    KafkaJournalPublisher(
            Producer<String, byte[]> producer,
            KafkaClientMetrics metrics,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            UserKeys keys,
            Duration deliveryTimeout) {
        this.producer = producer;
        this.metrics = metrics;
        this.pseudonyms = pseudonyms;
        this.dataKeys = dataKeys;
        this.keys = keys;
        this.deliveryTimeout = deliveryTimeout;
    }

    /**
     * @param deliveryTimeout how long a write may take before the client is told 503: bounds batching,
     *                        retries and the wait for replicas together
     */
    public static KafkaJournalPublisher create(
            String bootstrapServers,
            Duration deliveryTimeout,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            MeterRegistry registry) {
        Producer<String, byte[]> producer = new KafkaProducer<>(
                producerConfig(bootstrapServers, deliveryTimeout), new StringSerializer(), new ByteArraySerializer());
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        UserKeys keys = UserKeys.start(dataKeys, producer, bootstrapServers);
        try {
            if (!keys.awaitCaughtUp(deliveryTimeout.multipliedBy(3))) {
                LOG.warn("the keys topic was not read to its end in time; users may get a second data key");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new KafkaJournalPublisher(producer, metrics, pseudonyms, dataKeys, keys, deliveryTimeout);
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

    /**
     * {@inheritDoc} For a user with no data key yet, first publishes one and waits for its acknowledgement
     * (bounded by the delivery timeout), so events keep the order in which they were given.
     */
    @Override
    public CompletableFuture<Void> publish(JournalEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String pseudonym = pseudonyms.of(event.userId());
        DataKeys.DataKey key;
        try {
            key = keys.keyFor(pseudonym).get(deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(
                    new PublishFailedException("Kafka did not take the data key in time", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new PublishFailedException("interrupted", e));
        }
        if (event instanceof UserForgotten) {
            keys.forget(pseudonym); // their next event, if they come back, is sealed with a new key
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.JOURNAL.name(), pseudonym, dataKeys.seal(pseudonym, key, EventCodec.encode(event)));
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

    /** The user's key is known, and the producer's buffer has room (so {@code send} does not wait for memory). */
    @Override
    public boolean ready(JournalEvent event) {
        return keys.ready(pseudonyms.of(event.userId())) && bufferAvailable() >= MIN_FREE_BUFFER_BYTES;
    }

    private double bufferAvailable() {
        if (bufferAvailable == null) {
            bufferAvailable = producer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("buffer-available-bytes")
                            && e.getKey().group().equals("producer-metrics"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
            if (bufferAvailable == null) {
                return 0;
            }
        }
        return bufferAvailable.metricValue() instanceof Double d ? d : 0;
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        keys.close();
        metrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
