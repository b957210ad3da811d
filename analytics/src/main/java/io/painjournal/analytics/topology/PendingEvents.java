package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.StoreRows;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Journal records that came before their data key. Ingest publishes a user's key before any event sealed
 * with it, on the same partition number of the keys topic, but Streams takes the two topics' records in
 * timestamp order, and the same millisecond or a key's late fetch can put the event first. Such a record
 * is kept here ({@code pseudonym|keyId|offset} → timestamp and sealed value) and applied when its key comes,
 * in journal order: nothing waits on the stream thread.
 */
final class PendingEvents {

    /** A held record: its journal timestamp and sealed value. */
    record Held(long timestamp, byte[] value) {}

    private final KeyValueStore<String, byte[]> store;

    PendingEvents(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** Keeps a record until its key ({@code pseudonym|keyId}) comes. */
    void hold(String recordKey, long offset, long timestamp, byte[] value) {
        byte[] row = ByteBuffer.allocate(Long.BYTES + value.length)
                .putLong(timestamp)
                .put(value)
                .array();
        store.put(recordKey + "|" + String.format("%020d", offset), row);
    }

    /** The records that waited for this key, in journal order, no longer held. */
    List<Held> release(String recordKey) {
        List<Held> held = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(recordKey + "|", recordKey + "}")) {
            it.forEachRemaining(kv -> {
                ByteBuffer row = ByteBuffer.wrap(kv.value);
                long timestamp = row.getLong();
                byte[] value = new byte[row.remaining()];
                row.get(value);
                held.add(new Held(timestamp, value));
                rows.add(kv.key);
            });
        }
        rows.forEach(store::delete);
        return held;
    }

    /** Drops the records that waited for a key that was destroyed; how many. */
    int drop(String recordKey) {
        return StoreRows.deleteAll(store, recordKey + "|", recordKey + "}").size();
    }

    /** Drops a forgotten user's waiting records; the keys they waited for ({@code pseudonym|keyId}). */
    Set<String> dropUser(String pseudonym) {
        Set<String> keys = new TreeSet<>();
        for (String row : StoreRows.deleteAll(store, JournalKeys.userFrom(pseudonym), JournalKeys.userTo(pseudonym))) {
            keys.add(row.substring(0, row.lastIndexOf('|')));
        }
        return keys;
    }
}
