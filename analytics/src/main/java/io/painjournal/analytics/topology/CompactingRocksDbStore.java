package io.painjournal.analytics.topology;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' RocksDB store, compacted in full every {@code period}: a deleted row's old value then
 * leaves the SST files within the erasure bound. RocksDB drops overwritten and deleted data only when it
 * compacts, and under exactly-once Streams neither flushes nor compacts a quiet store. The compaction runs
 * on its own thread; RocksDB allows it beside reads and writes. The same applies to active, standby and
 * restored copies of a store.
 * <p>The handle is Streams' own package-private {@code db}, read by reflection. A Kafka upgrade that
 * renames it fails {@code ErasureTest} and this store's start.
 */
final class CompactingRocksDbStore extends RocksDBStore {

    private static final Logger LOG = LoggerFactory.getLogger(CompactingRocksDbStore.class);
    private static final Field DB = dbField();

    private final Duration period;
    private ScheduledExecutorService compactions;

    CompactingRocksDbStore(String name, Duration period) {
        super(name, "rocksdb");
        this.period = period;
    }

    /** Stores of this kind, for {@code Stores.keyValueStoreBuilder}. */
    static KeyValueBytesStoreSupplier supplier(String name, Duration period) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new CompactingRocksDbStore(name, period);
            }

            @Override
            public String metricsScope() {
                return "rocksdb";
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        super.init(context, root);
        compactions = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "compact-" + name());
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1000, period.toMillis());
        compactions.scheduleWithFixedDelay(this::compact, ms, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void compact() {
        try {
            if (isOpen() && DB.get(this) instanceof RocksDB db) {
                db.compactRange();
            }
        } catch (RocksDBException | IllegalAccessException | RuntimeException e) {
            LOG.warn("compaction of store {} failed: {}", name(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (compactions != null) {
            compactions.shutdownNow();
        }
        super.close();
    }

    private static Field dbField() {
        try {
            Field f = RocksDBStore.class.getDeclaredField("db");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Kafka Streams' RocksDBStore has no field db any more", e);
        }
    }
}
