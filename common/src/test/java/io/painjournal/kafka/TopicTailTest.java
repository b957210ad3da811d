package io.painjournal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicTailTest {

    /**
     * A topic of three partitions (the keys topic has the journal's): the records of every partition are
     * applied, each partition's in order, and the tail is caught up only when all three are read.
     */
    @Test
    void everyPartitionIsReadFromItsStart() throws Exception {
        MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        List<PartitionInfo> infos = new ArrayList<>();
        Map<TopicPartition, Long> zeros = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            infos.add(new PartitionInfo("keys", p, null, null, null));
            zeros.put(new TopicPartition("keys", p), 0L);
            ends.put(new TopicPartition("keys", p), (long) p); // partition p has p records
        }
        consumer.updatePartitions("keys", infos);
        consumer.updateBeginningOffsets(zeros);
        consumer.updateEndOffsets(ends);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>("keys", 1, 0, "a", "1"));
            consumer.addRecord(new ConsumerRecord<>("keys", 2, 0, "b", "2"));
            consumer.addRecord(new ConsumerRecord<>("keys", 2, 1, "c", "3"));
        });
        List<String> applied = Collections.synchronizedList(new ArrayList<>());
        try (TopicTail<String, String> tail =
                new TopicTail<>(consumer, "keys", "test-tail", r -> applied.add(r.key())).start()) {
            assertTrue(tail.awaitCaughtUp(Duration.ofSeconds(10)), "caught up on all three partitions");
            assertEquals(3, applied.size(), applied.toString());
            assertTrue(applied.indexOf("b") < applied.indexOf("c"), "a partition's records in order");
            assertTrue(applied.contains("a"), "partition 1 read too, not only 0");
        }
    }
}
