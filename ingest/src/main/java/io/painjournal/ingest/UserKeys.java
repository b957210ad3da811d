package io.painjournal.ingest;

import io.painjournal.kafka.TopicTail;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.DataKeys.DataKey;
import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data key each user's events are sealed with, shared by every ingest instance through the keys topic
 * ({@link Topics#keys}, on the user's journal partition). A thread of its own reads that topic from its start and keeps, per pseudonym, the
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
    /** The live key per pseudonym; a future while this instance is publishing a new one. */
    private final Map<String, CompletableFuture<DataKey>> live = new ConcurrentHashMap<>();
    /**
     * Record keys of keys this instance stopped using for a deletion, until their erasure is read back: the
     * reader must not take them up again when it reaches their (older) records.
     */
    private final java.util.Set<String> retired = ConcurrentHashMap.newKeySet();

    /** Reads the keys topic from its start, on a thread of its own. */
    private final TopicTail<String, byte[]> tail;

    UserKeys(DataKeys dataKeys, Producer<String, byte[]> producer, Consumer<String, byte[]> consumer) {
        this.dataKeys = dataKeys;
        this.producer = producer;
        this.tail = new TopicTail<>(consumer, Topics.KEYS_NAME, "user-keys-reader", r -> apply(r.key(), r.value()));
    }

    static UserKeys start(DataKeys dataKeys, Producer<String, byte[]> producer, String bootstrapServers) {
        Consumer<String, byte[]> consumer =
                io.painjournal.kafka.KeysReader.create(bootstrapServers, "pain-journal-ingest-keys");
        UserKeys keys = new UserKeys(dataKeys, producer, consumer);
        keys.tail.start();
        return keys;
    }

    /**
     * Waits until every key published before this start is known, so this instance does not make a second
     * key for users who have one. Returns false if that did not happen in time (it goes on reading).
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        boolean caughtUp = tail.awaitCaughtUp(timeout);
        LOG.info("ingest knows the data keys of {} users{}", live.size(), caughtUp ? "" : " (still reading)");
        return caughtUp;
    }

    /** Whether the user has a live data key this instance holds (so {@link #keyFor} completes at once). */
    boolean ready(String pseudonym) {
        CompletableFuture<DataKey> key = live.get(pseudonym);
        return key != null && key.isDone() && !key.isCompletedExceptionally();
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
                    Topics.keysRecord(
                            recordKey,
                            dataKeys.wrap(recordKey, key),
                            producer.partitionsFor(Topics.KEYS_NAME).size()),
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
        tail.close();
    }
}
