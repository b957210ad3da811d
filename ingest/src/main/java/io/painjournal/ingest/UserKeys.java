package io.painjournal.ingest;

import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.DataKeys.DataKey;
import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data key each user's events are sealed with, shared by every ingest instance through the keys topic
 * ({@link Topics#keys}). A thread of its own reads that topic from its start and keeps, per pseudonym, the
 * user's live key; a key's tombstone or erasure marker (written by analytics when it forgets the user)
 * removes it. A user with no live key gets a new one, published with {@code acks=all} <em>before</em> any
 * event sealed with it, so whoever reads the event can find its key.
 * <p>Two instances may each make a key for the same new user at once: both are valid (every sealed event
 * names its key), and analytics erases every key the user's events used.
 */
final class UserKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserKeys.class);

    private final DataKeys dataKeys;
    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    /** The live key per pseudonym; a future while this instance is publishing a new one. */
    private final Map<String, CompletableFuture<DataKey>> live = new ConcurrentHashMap<>();
    /**
     * Record keys of keys this instance stopped using for a deletion, until their erasure is read back: the
     * reader must not take them up again when it reaches their (older) records.
     */
    private final java.util.Set<String> retired = ConcurrentHashMap.newKeySet();

    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean closed;

    UserKeys(DataKeys dataKeys, Producer<String, byte[]> producer, Consumer<String, byte[]> consumer) {
        this.dataKeys = dataKeys;
        this.producer = producer;
        this.consumer = consumer;
        this.reader = new Thread(this::read, "user-keys-reader");
        this.reader.setDaemon(true);
    }

    static UserKeys start(DataKeys dataKeys, Producer<String, byte[]> producer, String bootstrapServers) {
        Consumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "pain-journal-ingest-keys",
                        // analytics writes tombstones and markers in its transactions
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        UserKeys keys = new UserKeys(dataKeys, producer, consumer);
        keys.reader.start();
        return keys;
    }

    /**
     * Waits until every key published before this start is known, so this instance does not make a second
     * key for users who have one. Returns false if that did not happen in time (it goes on reading).
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The user's live data key; a new one (published and acknowledged first) if they have none. */
    CompletableFuture<DataKey> keyFor(String pseudonym) {
        CompletableFuture<DataKey> key = live.get(pseudonym);
        if (key != null && key.isCompletedExceptionally()) { // an earlier attempt failed: publish a new key
            live.remove(pseudonym, key);
            key = null;
        }
        if (key != null) {
            return key;
        }
        // Claimed first, published outside the map: send() may block (max.block.ms) and must not hold
        // the map's lock for other users meanwhile.
        CompletableFuture<DataKey> mine = new CompletableFuture<>();
        CompletableFuture<DataKey> theirs = live.putIfAbsent(pseudonym, mine);
        if (theirs != null) {
            return theirs;
        }
        publishNew(pseudonym, mine);
        return mine;
    }

    /**
     * This instance sealed the user's deletion: their next event (if they come back) gets a new key, since
     * analytics is about to destroy the ones their events used.
     */
    void forget(String pseudonym) {
        CompletableFuture<DataKey> key = live.remove(pseudonym);
        if (key != null && key.isDone() && !key.isCompletedExceptionally()) {
            retired.add(key.join().recordKey(pseudonym));
        }
    }

    private void publishNew(String pseudonym, CompletableFuture<DataKey> done) {
        DataKey key = dataKeys.newKey();
        String recordKey = key.recordKey(pseudonym);
        try {
            producer.send(
                    new ProducerRecord<>(Topics.KEYS_NAME, recordKey, dataKeys.wrap(recordKey, key)),
                    (metadata, error) -> {
                        if (error == null) {
                            done.complete(key);
                        } else {
                            done.completeExceptionally(new PublishFailedException(
                                    "Kafka did not acknowledge the user's data key: " + error.getMessage(), error));
                        }
                    });
        } catch (RuntimeException e) {
            done.completeExceptionally(
                    new PublishFailedException("Kafka cannot take the user's data key: " + e.getMessage(), e));
        }
    }

    /** The reader thread: from the start of the keys topic on, until closed; Kafka errors are retried. */
    private void read() {
        TopicPartition partition = new TopicPartition(Topics.KEYS_NAME, 0);
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = -1;
            while (!closed) {
                try {
                    if (end < 0) {
                        end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(5))
                                .get(partition);
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        apply(record.key(), record.value());
                    }
                    if (caughtUp.getCount() > 0 && consumer.position(partition) >= end) {
                        caughtUp.countDown();
                        LOG.info("ingest knows the data keys of {} users", live.size());
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    LOG.warn("reading the keys topic failed ({}); trying again in 1 s", e.getMessage());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the reader of the keys topic stopped; new users still get keys", e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** One record of the keys topic: a live key, a tombstone or an erasure marker. */
    void apply(String recordKey, byte[] value) {
        if (recordKey == null || recordKey.startsWith("!")) {
            return; // the heartbeat
        }
        String[] parts = recordKey.split("\\|");
        if (parts.length < 2) {
            return;
        }
        String pseudonym = parts[0];
        String keyId = parts[1];
        if (value != null && parts.length == 2) {
            if (retired.contains(recordKey)) {
                return;
            }
            try {
                DataKey key = dataKeys.unwrap(recordKey, value);
                live.putIfAbsent(pseudonym, CompletableFuture.completedFuture(key));
            } catch (IllegalArgumentException e) {
                LOG.warn("a record of the keys topic does not open with this master key: {}", e.getMessage());
            }
        } else { // a tombstone, or an erasure marker (Topics.ERASED_SUFFIX): that key is gone
            retired.remove(pseudonym + "|" + keyId);
            live.computeIfPresent(
                    pseudonym,
                    (p, current) -> current.isDone()
                                    && !current.isCompletedExceptionally()
                                    && current.join().id().equals(keyId)
                            ? null
                            : current);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
