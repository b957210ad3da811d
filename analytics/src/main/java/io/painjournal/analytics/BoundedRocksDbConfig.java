package io.painjournal.analytics;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every analytics RocksDB store together. By default each store of each
 * partition has its own 50 MB block cache and up to three 16 MB memtables, so memory grows with stores
 * × partitions; here they share one {@value #BLOCK_CACHE_BYTES}-byte block cache, which also holds
 * index and filter blocks and is charged for the memtables (at most {@value #MEMTABLE_BYTES} bytes
 * together: a store flushes early when the budget is used up). Memory is then set by these two
 * figures and {@link #RECORD_CACHE_BYTES}, whatever the number of users.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    /** The Streams record cache in front of the stores (statestore.cache.max.bytes), on heap. */
    public static final long RECORD_CACHE_BYTES = 16L * 1024 * 1024;
    /** Block cache shared by every store: data, index and filter blocks, and the memtables' charge. */
    public static final long BLOCK_CACHE_BYTES = 96L * 1024 * 1024;
    /**
     * All memtables together (charged to the block cache, so at least a third of it stays for blocks). 32 MB
     * made a restore from the changelogs flush and compact small files all along: 64 MB, with the restore
     * consumer's larger batches, restored the same state in two thirds of the time.
     */
    public static final long MEMTABLE_BYTES = 64L * 1024 * 1024;

    private static final long MEMTABLE_SIZE = 8L * 1024 * 1024;
    private static final long ARENA_BLOCK_BYTES = 64L * 1024;

    private static final Cache CACHE = new LRUCache(BLOCK_CACHE_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_SIZE);
        options.setMaxWriteBufferNumber(2);
        // A memtable reserves its arena a block at a time (by default an eighth of the write buffer size,
        // 1 MB here). With nine stores on each of six partitions the reserved blocks alone exceeded the
        // shared budget, so the write-buffer manager asked every store to flush on every write: thousands
        // of SST files of a few KB, compacted again at once (a third of the process's CPU, analytics at
        // 570 events/s). Small blocks let the budget measure the data.
        options.setArenaBlockSize(ARENA_BLOCK_BYTES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store: they live as long as the process.
    }
}
