package io.painjournal.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.topology.AnalyticsTopology;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbConfigTest {

    static {
        RocksDB.loadLibrary();
    }

    /**
     * Every store of every partition shares one write-buffer budget. Each open memtable reserves at least one
     * arena block; if those reservations alone reach the budget, the manager flushes every store on every
     * write (seen: thousands of SST files of a few KB, analytics at a sixth of its speed). Twelve partitions
     * per instance (twice the default) must leave most of the budget to data.
     */
    @Test
    void reservedArenaBlocksLeaveTheWriteBufferBudgetToData() {
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfig());
            new BoundedRocksDbConfig().setConfig("sessions", options, Map.of());
            long stores = AnalyticsTopology.STORES.size() * 12L;
            // RocksDB's rule: an unset (0) arena block is an eighth of the write buffer
            long block = options.arenaBlockSize() > 0 ? options.arenaBlockSize() : options.writeBufferSize() / 8;
            long reserved = stores * block;
            assertTrue(
                    reserved < BoundedRocksDbConfig.MEMTABLE_BYTES / 2,
                    reserved + " bytes of arena blocks for " + stores + " stores against a budget of "
                            + BoundedRocksDbConfig.MEMTABLE_BYTES);
        }
    }

    /**
     * The memtables are charged to the block cache: a budget as large as the cache would leave no room for
     * index, filter and data blocks while the stores are written hard (a restore, a backlog).
     */
    @Test
    void theMemtablesLeaveAThirdOfTheBlockCacheToBlocks() {
        assertTrue(
                BoundedRocksDbConfig.MEMTABLE_BYTES * 3 <= BoundedRocksDbConfig.BLOCK_CACHE_BYTES * 2,
                BoundedRocksDbConfig.MEMTABLE_BYTES + " bytes of memtables in a block cache of "
                        + BoundedRocksDbConfig.BLOCK_CACHE_BYTES);
    }

    /**
     * A restore after a crash rebuilds every store from its changelog: the restore consumer takes large
     * batches (measured: with the memtable budget above, two thirds of the time of the defaults).
     */
    @Test
    void theRestoreConsumerTakesLargeBatches() {
        Properties p = AnalyticsRole.streamsProperties(
                "unused:9092", Path.of("unused"), new HostInfo("localhost", 8080), (short) 1);
        assertEquals(
                AnalyticsRole.RESTORE_POLL_RECORDS, p.get(StreamsConfig.restoreConsumerPrefix("max.poll.records")));
        assertTrue(AnalyticsRole.RESTORE_POLL_RECORDS > 2000, "more than the main consumer's 2,000");
        assertEquals(8 * 1024 * 1024, p.get(StreamsConfig.restoreConsumerPrefix("max.partition.fetch.bytes")));
    }
}
