package io.painjournal.analytics.journal;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads a key range of a store (the processor's own stores and interactive queries alike), or deletes it. */
public final class StoreRows {

    private StoreRows() {}

    /** The values of every row in [from, to], in key order. */
    public static <V> List<V> values(ReadOnlyKeyValueStore<String, V> store, String from, String to) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            it.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }

    /** The values of every row of one user (pseudonym): their range {@link JournalKeys#userFrom} to {@link JournalKeys#userTo}. */
    public static <V> List<V> ofUser(ReadOnlyKeyValueStore<String, V> store, String pseudonym) {
        return values(store, JournalKeys.userFrom(pseudonym), JournalKeys.userTo(pseudonym));
    }

    /** Deletes every row in [from, to] and returns their keys. */
    public static <V> List<String> deleteAll(KeyValueStore<String, V> store, String from, String to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
        return keys;
    }
}
