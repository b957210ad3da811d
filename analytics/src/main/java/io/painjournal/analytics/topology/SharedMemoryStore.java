package io.painjournal.analytics.topology;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An in-memory key-value store whose writes every thread sees at once: the global store of data keys.
 * <p>Kafka Streams' own in-memory store is transactional when {@code enable.transactional.statestores} is on:
 * the global thread's writes are staged in a buffer and reach the map when it commits its state, which it
 * does after 10,000 records. The stream threads read a data key the moment they meet its first event; what
 * they see must not depend on how that buffer is shared between threads. This store writes straight to a
 * concurrent map: the topic it is built from is its only log, and it is rebuilt from that topic at every
 * start (registered with Streams' restore callback), so it has nothing to commit.
 */
final class SharedMemoryStore implements KeyValueStore<Bytes, byte[]> {

    private final String name;
    private final ConcurrentSkipListMap<Bytes, byte[]> map = new ConcurrentSkipListMap<>();
    private volatile boolean open;

    private SharedMemoryStore(String name) {
        this.name = name;
    }

    /** Stores of this kind, for {@code Stores.keyValueStoreBuilder}. */
    static KeyValueBytesStoreSupplier supplier(String name) {
        return StoreSuppliers.of(name, "in-memory", () -> new SharedMemoryStore(name));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> put(Bytes.wrap(key), value));
        open = true;
    }

    @Override
    public void close() {
        map.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        return value == null ? map.get(key) : map.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        return map.remove(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return map.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        NavigableMap<Bytes, byte[]> view;
        if (from == null && to == null) {
            view = map;
        } else if (from == null) {
            view = map.headMap(to, true);
        } else if (to == null) {
            view = map.tailMap(from, true);
        } else if (from.compareTo(to) > 0) {
            view = java.util.Collections.emptyNavigableMap();
        } else {
            view = map.subMap(from, true, to, true);
        }
        return iterator(view.entrySet().iterator());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(map.entrySet().iterator());
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    /** A weakly consistent iterator over the map (as the concurrent map's own). */
    private static KeyValueIterator<Bytes, byte[]> iterator(Iterator<Map.Entry<Bytes, byte[]>> entries) {
        return new KeyValueIterator<>() {
            private Map.Entry<Bytes, byte[]> next;

            @Override
            public boolean hasNext() {
                return next != null || entries.hasNext();
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                Map.Entry<Bytes, byte[]> e = next != null ? next : entries.next();
                next = null;
                return KeyValue.pair(e.getKey(), e.getValue());
            }

            @Override
            public Bytes peekNextKey() {
                if (next == null) {
                    next = entries.next();
                }
                return next.getKey();
            }

            @Override
            public void close() {}
        };
    }
}
