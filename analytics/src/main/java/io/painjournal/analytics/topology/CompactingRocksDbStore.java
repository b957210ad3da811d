package io.painjournal.analytics.topology;

import io.painjournal.topics.Topics;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.internals.RocksDBStore;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' RocksDB store, compacted in full every {@code period}, and {@link #SETTLE} after the last
 * of a run of deletes: a deleted row's old value then leaves the SST files within the erasure bound, and
 * after forgetting a user within seconds. (In these stores a row is deleted only when its user is forgotten;
 * the heartbeat's delete of {@link Topics#HEARTBEAT_KEY} does not count.) RocksDB drops overwritten and
 * deleted data only when it compacts, and under exactly-once Streams neither flushes nor compacts a quiet
 * store. The compaction runs on its own thread; RocksDB allows it beside reads and writes. The same applies
 * to active, standby and restored copies of a store (the latter two on the period only).
 * <p>The handle is Streams' own package-private {@code db}, read by reflection. A Kafka upgrade that
 * renames it fails {@code ErasureTest} and this store's start.
 */
final class CompactingRocksDbStore extends RocksDBStore {

    private static final Logger LOG = LoggerFactory.getLogger(CompactingRocksDbStore.class);
    private static final Field DB = dbField();

    /** How long after the last delete the store compacts: the deletes of one forgotten user come together. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private static final Bytes HEARTBEAT = Bytes.wrap(Topics.HEARTBEAT_KEY.getBytes(StandardCharsets.UTF_8));

    private final Duration period;
    private final Object compactionLock = new Object();
    private ScheduledExecutorService compactions;
    /** When the store last compacted, and when a row was last deleted since (0: none), by System.nanoTime. */
    private volatile long compactedAt;

    private volatile long deletedAt;

    CompactingRocksDbStore(String name, Duration period) {
        super(name, "rocksdb");
        this.period = period;
    }

    /** Stores of this kind, for {@code Stores.keyValueStoreBuilder}. */
    static KeyValueBytesStoreSupplier supplier(String name, Duration period) {
        return StoreSuppliers.of(name, "rocksdb", () -> new CompactingRocksDbStore(name, period));
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        super.init(context, root);
        compactions = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "compact-" + name());
            t.setDaemon(true);
            return t;
        });
        compactedAt = System.nanoTime();
        long check = SETTLE.toMillis() / 2;
        compactions.scheduleWithFixedDelay(this::compactWhenDue, check, check, TimeUnit.MILLISECONDS);
    }

    @Override
    public byte[] delete(Bytes key) {
        if (!HEARTBEAT.equals(key)) {
            deletedAt = System.nanoTime();
        }
        return super.delete(key);
    }

    /** Compacts when the period is over, or when rows were deleted and no delete came for {@link #SETTLE}. */
    private void compactWhenDue() {
        long now = System.nanoTime();
        long deleted = deletedAt;
        boolean settled = deleted != 0 && now - deleted >= SETTLE.toNanos();
        if (settled || now - compactedAt >= Math.max(1000, period.toMillis()) * 1_000_000L) {
            if (settled) {
                deletedAt = 0; // a delete during the compaction sets it again and is compacted next time
            }
            compactedAt = now;
            compact();
        }
    }

    /**
     * Not under the store's monitor (RocksDBStore's reads and writes take it: they go on while RocksDB
     * compacts); under its own lock, which {@link #close} takes, so the handle is not closed beneath it.
     */
    private void compact() {
        synchronized (compactionLock) {
            try {
                if (isOpen() && DB.get(this) instanceof RocksDB db) {
                    db.compactRange();
                }
            } catch (RocksDBException | IllegalAccessException | RuntimeException e) {
                LOG.warn("compaction of store {} failed: {}", name(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (compactions != null) {
            compactions.shutdownNow();
        }
        synchronized (compactionLock) {
            super.close();
        }
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
