package io.painjournal.analytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.painjournal.topics.Topics;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;

class LocalStateTest {

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
        assertEquals(expected, LocalState.journalPartitions(List.of(thread(1, 3, 5), thread(0, 2, 4))));
        assertEquals(expected, LocalState.journalPartitions(List.of(thread(4, 0, 2), thread(5, 3, 1))));
        assertEquals(expected, LocalState.journalPartitions(List.of(thread(0, 1, 2, 3, 4, 5))));
    }
}
