package io.painjournal.analytics.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deleted row leaves the store's SST files within seconds of the delete, not at the next periodic full
 * compaction (an hour here): that is what bounds a forgotten user's time on the analytics disk.
 */
class CompactingRocksDbStoreTest {

    private static final byte[] ROW = "row-of-a-user-who-leaves-5521".getBytes(StandardCharsets.UTF_8);
    private static final Bytes KEY = Bytes.wrap("pseudonym|2026-11-02|id".getBytes(StandardCharsets.UTF_8));
    private static final Bytes OTHER = Bytes.wrap("another|2026-11-02|id".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path stateDir;

    @Test
    void aDeletedRowLeavesTheFilesSoonAfterTheDelete() throws Exception {
        // written and on disk: a clean close writes the memtable to an SST file
        CompactingRocksDbStore store = open();
        store.put(KEY, ROW);
        store.put(OTHER, "kept".getBytes(StandardCharsets.UTF_8));
        store.close();
        assertTrue(onDisk(), "the row in an SST file before the delete");

        store = open();
        try {
            store.delete(KEY);
            try {
                org.awaitility.Awaitility.await("the deleted row gone from the SST files")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !onDisk());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the deleted row still in " + sstFiles(), e);
            }
            assertEquals("kept", new String(store.get(OTHER), StandardCharsets.UTF_8));
        } finally {
            store.close();
        }
    }

    /**
     * Why the store exists: Kafka Streams' own RocksDB store keeps a deleted row in its SST files (its commit
     * writes the changelog offsets to a column family of their own and never flushes or compacts; a
     * {@code RocksDBConfigSetter} sees the options, never the database). Kafka 4.4 left the row there for all
     * of the time this test waits, where the compacting store drops it within about a second. If this test
     * fails, a Kafka upgrade removes deleted rows by itself and the compacting store can go.
     */
    @Test
    void kafkasOwnStoreKeepsADeletedRowOnDisk() throws Exception {
        org.apache.kafka.streams.state.internals.RocksDBStore plain =
                new org.apache.kafka.streams.state.internals.RocksDBStore("sessions", "rocksdb");
        init(plain);
        plain.put(KEY, ROW);
        plain.close();
        plain = new org.apache.kafka.streams.state.internals.RocksDBStore("sessions", "rocksdb");
        init(plain);
        try {
            plain.delete(KEY);
            plain.commit(java.util.Map.of());
            org.awaitility.Awaitility.await("the deleted row still in the SST files")
                    .during(CompactingRocksDbStore.SETTLE.multipliedBy(5))
                    .atMost(CompactingRocksDbStore.SETTLE.multipliedBy(6))
                    .until(this::onDisk);
        } finally {
            plain.close();
        }
    }

    @Test
    void theHeartbeatsDeleteCompactsNothing() throws Exception {
        CompactingRocksDbStore store = open();
        store.put(KEY, ROW);
        store.close();
        store = open();
        try {
            Bytes heartbeat = Bytes.wrap(io.painjournal.topics.Topics.HEARTBEAT_KEY.getBytes(StandardCharsets.UTF_8));
            store.put(heartbeat, new byte[] {1});
            store.delete(heartbeat);
            List<Path> before = sstFiles();
            // a heartbeat every few seconds must not compact the store each time
            org.awaitility.Awaitility.await("the SST files unchanged after the heartbeat's delete")
                    .during(CompactingRocksDbStore.SETTLE.multipliedBy(3))
                    .atMost(CompactingRocksDbStore.SETTLE.multipliedBy(4))
                    .until(() -> before.equals(sstFiles()));
        } finally {
            store.close();
        }
    }

    private CompactingRocksDbStore open() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "compaction-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        CompactingRocksDbStore store = new CompactingRocksDbStore("sessions", Duration.ofHours(1));
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private void init(org.apache.kafka.streams.state.internals.RocksDBStore store) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "compaction-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        store.init(
                new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile()).getStateStoreContext(), store);
    }

    private boolean onDisk() throws IOException {
        for (Path sst : sstFiles()) {
            try {
                if (AnalyticsTopologyTest.contains(Files.readAllBytes(sst), ROW)) {
                    return true;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // compacted away while read
            }
        }
        return false;
    }

    private List<Path> sstFiles() throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(f -> f.toString().endsWith(".sst")).sorted().toList();
        }
    }
}
