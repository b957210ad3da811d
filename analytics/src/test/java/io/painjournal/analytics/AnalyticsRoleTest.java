package io.painjournal.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.topics.Topics;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
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

    /** A stand-in for Streams' metadata interfaces: answers the one method asked, by name. */
    @SuppressWarnings("unchecked")
    private static <T> T answering(Class<T> type, String method, Object value) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            switch (m.getName()) {
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return type.getSimpleName() + " " + value;
                default:
                    if (m.getName().equals(method)) {
                        return value;
                    }
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static TaskMetadata task(int partition) {
        LinkedHashSet<TopicPartition> tps = new LinkedHashSet<>();
        tps.add(new TopicPartition("painjournal-unrelated-repartition", partition));
        tps.add(new TopicPartition(Topics.JOURNAL.name(), partition));
        return answering(TaskMetadata.class, "topicPartitions", tps);
    }

    private static ThreadMetadata thread(int... partitions) {
        LinkedHashSet<TaskMetadata> tasks = new LinkedHashSet<>();
        for (int p : partitions) {
            tasks.add(task(p));
        }
        return answering(ThreadMetadata.class, "activeTasks", tasks);
    }

    /**
     * Shares are added up partition by partition in one order whichever thread holds which task: with two
     * stream threads the assignment changes between starts, and floating-point sums in that order changed
     * an exact cohort answer in its last digits after a restart (CohortEndToEndTest, seen once in CI).
     */
    @Test
    void localPartitionsComeInOneOrderWhateverThreadHoldsThem() {
        List<Integer> expected = List.of(0, 1, 2, 3, 4, 5);
        assertEquals(expected, AnalyticsRole.journalPartitions(List.of(thread(1, 3, 5), thread(0, 2, 4))));
        assertEquals(expected, AnalyticsRole.journalPartitions(List.of(thread(4, 0, 2), thread(5, 3, 1))));
        assertEquals(expected, AnalyticsRole.journalPartitions(List.of(thread(0, 1, 2, 3, 4, 5))));
    }
}
