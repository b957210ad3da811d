package io.painjournal.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The {@link EventLedger} on local disk ({@code DATA_DIR/ingest-ledger}), in RocksDB: point look-ups
 * behind a Bloom filter, so a batch of 1,000 ids costs microseconds and the set can outgrow the heap.
 */
public final class RocksDbEventLedger implements EventLedger {

    private static final byte[] PRESENT = {1};

    private final LRUCache cache;
    private final BloomFilter bloom;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private boolean closed;

    public RocksDbEventLedger(Path dir) {
        RocksDB.loadLibrary();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the ingest ledger directory " + dir, e);
        }
        cache = new LRUCache(16L * 1024 * 1024);
        bloom = new BloomFilter(10);
        options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(8L * 1024 * 1024)
                .setMaxWriteBufferNumber(2)
                // keys end in random UUIDs: compressing them costs CPU in every flush and compaction for little
                .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(
                        new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom));
        writeOptions = new WriteOptions();
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            close();
            throw new IllegalStateException(
                    "cannot open the ingest ledger at " + dir + " (is another process using this DATA_DIR?): "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Set<String> known(List<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        List<byte[]> raw = new ArrayList<>(keys.size());
        keys.forEach(k -> raw.add(k.getBytes(StandardCharsets.UTF_8)));
        try {
            List<byte[]> values = db.multiGetAsList(raw);
            Set<String> known = new HashSet<>();
            for (int i = 0; i < keys.size(); i++) {
                if (values.get(i) != null) {
                    known.add(keys.get(i));
                }
            }
            return known;
        } catch (RocksDBException e) {
            throw new IllegalStateException("ingest ledger read failed: " + e.getMessage(), e);
        }
    }

    /**
     * RocksDB's own filters, without I/O ({@code keyMayExist} reads the memtables, the Bloom filters and the
     * block cache only): about 1 % of new keys come out "maybe", and are then looked up with {@link #known}.
     */
    @Override
    public boolean surelyNew(List<String> keys) {
        for (String k : keys) {
            if (db.keyMayExist(k.getBytes(StandardCharsets.UTF_8), null)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void remember(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (String k : keys) {
                batch.put(k.getBytes(StandardCharsets.UTF_8), PRESENT);
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("ingest ledger write failed: " + e.getMessage(), e);
        }
    }

    /** RocksDB's estimate of the number of remembered ids (for the state-store gauge). */
    public synchronized long estimatedKeys() {
        if (closed || db == null) {
            throw new IllegalStateException("the ingest ledger is closed");
        }
        try {
            return db.getLongProperty("rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (db != null) {
            db.close();
        }
        if (writeOptions != null) {
            writeOptions.close();
        }
        options.close();
        bloom.close();
        cache.close();
    }
}
