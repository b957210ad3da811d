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
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The users' data keys of this task (from the keys topic, in its store) and the opening of the journal's sealed
 * records with them; notes which keys each user's events used, and destroys them when the user is forgotten.
 * <p>Made with its {@link JournalProcessor}, bound to the task's context and stores by {@link #init}: its
 * unwrapped keys are kept for as long as the processor lives.
 */
final class SealedRecords {

    private final Pseudonyms pseudonyms;
    private final DataKeys dataKeys;
    private final Counter shredded;

    /** Unwrapped data keys by record key ({@code pseudonym|keyId}): one unwrap per key, not per event. */
    private final Cache<String, DataKey> openKeys = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> keys;
    private KeyValueStore<String, byte[]> userKeys;

    SealedRecords(Pseudonyms pseudonyms, DataKeys dataKeys, Counter shredded) {
        this.pseudonyms = pseudonyms;
        this.dataKeys = dataKeys;
        this.shredded = shredded;
    }

    void init(ProcessorContext<String, byte[]> context, JournalStores stores) {
        this.context = context;
        this.keys = stores.keys();
        this.userKeys = stores.userKeys();
    }

    /** The record key of the data key a sealed record names ({@code pseudonym|keyId}); throws if it is not sealed. */
    static String keyOf(String pseudonym, byte[] value) {
        if (value == null || !DataKeys.isSealed(value)) {
            throw new UnreadableRecordException("not a sealed journal record");
        }
        return pseudonym + "|" + DataKeys.keyIdOf(value);
    }

    /** Whether the record's data key has come (or was erased): else the record waits for it. */
    boolean keyCame(String pseudonym, byte[] value) {
        String recordKey = keyOf(pseudonym, value);
        return openKeys.getIfPresent(recordKey) != null
                || keys.get(recordKey) != null
                || keys.get(recordKey + Topics.ERASED_SUFFIX) != null;
    }

    /**
     * One record of the keys topic: a wrapped key is kept, a tombstone removes one, an erasure marker says it
     * was destroyed. The heartbeat's records are no key.
     */
    void keyRecord(String recordKey, byte[] value) {
        if (recordKey.startsWith(Topics.HEARTBEAT_KEY)) {
            return;
        }
        if (value == null) {
            keys.delete(recordKey);
            openKeys.invalidate(recordKey);
        } else {
            keys.put(recordKey, value);
        }
    }

    /**
     * The event a sealed record holds, or null when its data key was destroyed (the user was forgotten, and
     * this is a copy of one of their records read again, e.g. while state is rebuilt). Throws
     * {@link UnreadableRecordException}, before anything changed, for a record that cannot be read. Call once
     * {@link #keyCame}.
     */
    JournalEvent open(String pseudonym, byte[] value) {
        String recordKey = keyOf(pseudonym, value);
        DataKey key = openKeys.getIfPresent(recordKey);
        if (key == null) {
            byte[] wrapped = keys.get(recordKey);
            if (wrapped == null) {
                if (keys.get(recordKey + Topics.ERASED_SUFFIX) != null) {
                    shredded.increment();
                    return null;
                }
                throw new IllegalStateException("opened before its key came: " + recordKey);
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
     * Destroys every data key the user's events were sealed with, and {@code alsoThese} (keys of their events
     * still waiting for them): gone from this task's store, and on the keys topic a tombstone on each
     * (compaction then removes the wrapped key) and a marker naming nobody so readers of old copies skip
     * them. All in this task's transaction, with the deletion of the user's rows.
     */
    void destroyKeys(String pseudonym, Collection<String> alsoThese) {
        long now = System.currentTimeMillis();
        Set<String> recordKeys = new TreeSet<>(alsoThese);
        recordKeys.addAll(
                StoreRows.deleteAll(userKeys, JournalKeys.userFrom(pseudonym), JournalKeys.userTo(pseudonym)));
        for (String recordKey : recordKeys) {
            keys.delete(recordKey);
            keys.put(recordKey + Topics.ERASED_SUFFIX, Topics.ERASED);
            openKeys.invalidate(recordKey);
            context.forward(new Record<>(recordKey, null, now));
            context.forward(new Record<>(recordKey + Topics.ERASED_SUFFIX, Topics.ERASED, now));
        }
    }
}
