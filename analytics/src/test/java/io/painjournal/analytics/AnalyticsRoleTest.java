package io.painjournal.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class AnalyticsRoleTest {

    /**
     * A restore after a crash rebuilds every store from its changelog: the restore consumer takes large
     * batches (measured: with {@link BoundedRocksDbConfig}'s memtable budget, two thirds of the time of the defaults).
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
