package io.painjournal.analytics.topology;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.StoreRows;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.DataKeys.DataKey;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Opens the journal's sealed records with the users' data keys (from the global store of the keys topic),
 * notes which keys each user's events used, and destroys them when the user is forgotten.
 * <p>Made with its {@link JournalProcessor}, bound to the task's context and stores by {@link #init}: its
 * unwrapped keys are kept for as long as the processor lives.
 */
final class SealedRecords {

    private final Pseudonyms pseudonyms;
    private final DataKeys dataKeys;
    private final Duration keyWait;
    private final Counter shredded;

    /** Unwrapped data keys by record key ({@code pseudonym|keyId}): one unwrap per key, not per event. */
    private final Cache<String, DataKey> openKeys = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> keys;
    private KeyValueStore<String, byte[]> userKeys;

    SealedRecords(Pseudonyms pseudonyms, DataKeys dataKeys, Duration keyWait, Counter shredded) {
        this.pseudonyms = pseudonyms;
        this.dataKeys = dataKeys;
        this.keyWait = keyWait;
        this.shredded = shredded;
    }

    void init(ProcessorContext<String, byte[]> context, JournalStores stores) {
        this.context = context;
        this.keys = stores.keys();
        this.userKeys = stores.userKeys();
    }

    /**
     * The event a sealed record holds, or null when its data key was destroyed (the user was forgotten, and
     * this is a copy of one of their records read again, e.g. while state is rebuilt). Throws
     * {@link UnreadableRecordException}, before anything changed, for a record that cannot be read.
     */
    JournalEvent open(String pseudonym, byte[] value) {
        if (value == null || !DataKeys.isSealed(value)) {
            throw new UnreadableRecordException("not a sealed journal record");
        }
        String recordKey = pseudonym + "|" + DataKeys.keyIdOf(value);
        DataKey key = openKeys.getIfPresent(recordKey);
        if (key == null) {
            byte[] wrapped = awaitKey(recordKey);
            if (wrapped == null) {
                if (keys.get(recordKey + Topics.ERASED_SUFFIX) != null) {
                    shredded.increment();
                    return null;
                }
                throw new UnreadableRecordException("no data key " + recordKey + " in the keys topic");
            }
            try {
                key = dataKeys.unwrap(recordKey, wrapped);
            } catch (IllegalArgumentException e) {
                throw new UnreadableRecordException("the data key does not open with this master key");
            }
            openKeys.put(recordKey, key);
        }
        JournalEvent event;
        try {
            event = EventCodec.decode(dataKeys.open(pseudonym, key, value));
        } catch (IllegalArgumentException e) { // the codec's messages quote nothing of the record
            throw new UnreadableRecordException(e.getMessage());
        }
        if (!pseudonyms.of(event.userId()).equals(pseudonym)) {
            throw new UnreadableRecordException("the record is keyed by another user's pseudonym");
        }
        if (userKeys.get(recordKey) == null) {
            userKeys.put(recordKey, AnalyticsSerdes.present());
        }
        return event;
    }

    /**
     * The wrapped key, waiting (up to {@code keyWait}) for the global store when it is not there yet: ingest
     * publishes a key before the first event sealed with it, but the global thread may not have read it.
     * Null, without waiting, for a key that was erased.
     */
    private byte[] awaitKey(String recordKey) {
        byte[] wrapped = keys.get(recordKey);
        long deadline = System.nanoTime() + keyWait.toNanos();
        while (wrapped == null && keys.get(recordKey + Topics.ERASED_SUFFIX) == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnreadableRecordException("interrupted while waiting for a data key");
            }
            wrapped = keys.get(recordKey);
        }
        return wrapped;
    }

    /**
     * Destroys every data key the user's events were sealed with: a tombstone on each (compaction then
     * removes the wrapped key from the keys topic), and a marker naming nobody so readers of old copies
     * know not to wait for it. They go out in this task's transaction, with the deletion of the user's rows.
     */
    void destroyKeys(String pseudonym) {
        long now = System.currentTimeMillis();
        for (String recordKey :
                StoreRows.deleteAll(userKeys, JournalKeys.userFrom(pseudonym), JournalKeys.userTo(pseudonym))) {
            context.forward(new Record<>(recordKey, null, now));
            context.forward(new Record<>(recordKey + Topics.ERASED_SUFFIX, Topics.ERASED, now));
            openKeys.invalidate(recordKey);
        }
        context.commit(); // see Heartbeat.beat: the keys topic written, the global thread waits for this commit
    }
}
