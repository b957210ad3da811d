package io.painjournal.analytics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.topology.AnalyticsTopology;
import java.util.Map;
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
}
