package io.painjournal.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.DataKeys.DataKey;
import io.painjournal.privacy.MasterKey;
import io.painjournal.topics.Topics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class UserKeysTest {

    private final DataKeys dataKeys = new DataKeys(MasterKey.parse(MasterKey.generate()));
    /** The keys topic with three partitions, as the journal has. */
    private static final org.apache.kafka.common.Cluster CLUSTER;

    static {
        org.apache.kafka.common.Node node = new org.apache.kafka.common.Node(0, "localhost", 9092);
        org.apache.kafka.common.Node[] nodes = {node};
        CLUSTER = new org.apache.kafka.common.Cluster(
                "c",
                List.of(node),
                java.util.stream.IntStream.range(0, 3)
                        .mapToObj(
                                p -> new org.apache.kafka.common.PartitionInfo(Topics.KEYS_NAME, p, node, nodes, nodes))
                        .toList(),
                java.util.Set.of(),
                java.util.Set.of());
    }

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(CLUSTER, true, null, new StringSerializer(), new ByteArraySerializer());
    private final UserKeys keys =
            new UserKeys(dataKeys, producer, new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()));

    @Test
    void aNewUsersKeyIsPublishedWrappedOnceAndThenReused() throws Exception {
        DataKey first = keys.keyFor("p1").get();
        assertEquals(1, producer.history().size());
        var record = producer.history().get(0);
        assertEquals(Topics.KEYS_NAME, record.topic());
        assertEquals("p1|" + first.id(), record.key());
        assertEquals(Topics.keysPartition("p1", 3), record.partition(), "on the partition of p1's journal");
        assertEquals(first.id(), dataKeys.unwrap(record.key(), record.value()).id(), "wrapped by the master key");
        assertEquals(first.id(), keys.keyFor("p1").get().id());
        assertEquals(1, producer.history().size(), "no second key");
    }

    @Test
    void anotherInstancesKeyIsTakenUpAndDroppedWhenAnalyticsErasesIt() throws Exception {
        DataKey theirs = dataKeys.newKey();
        keys.apply(theirs.recordKey("p2"), dataKeys.wrap(theirs.recordKey("p2"), theirs));
        assertEquals(theirs.id(), keys.keyFor("p2").get().id());
        assertEquals(0, producer.history().size());
        keys.apply(theirs.recordKey("p2") + "|erased", new byte[] {0});
        DataKey next = keys.keyFor("p2").get();
        assertNotEquals(theirs.id(), next.id(), "an erased key is never used again");
        assertEquals(1, producer.history().size());
    }

    @Test
    void afterADeletionTheUsersNextEventGetsANewKeyEvenWhenTheOldOnesRecordIsReadLate() throws Exception {
        DataKey before = keys.keyFor("p3").get();
        keys.forget("p3");
        // the reader reaches this instance's own record of the old key only now
        keys.apply(before.recordKey("p3"), producer.history().get(0).value());
        DataKey after = keys.keyFor("p3").get();
        assertNotEquals(before.id(), after.id());
        keys.apply(before.recordKey("p3"), null); // analytics' tombstone
        assertEquals(after.id(), keys.keyFor("p3").get().id(), "a tombstone of the old key leaves the new one");
    }

    @Test
    void aKeyThatKafkaDidNotTakeIsMadeAgainAtTheNextEvent() throws Exception {
        MockProducer<String, byte[]> failing =
                new MockProducer<>(CLUSTER, false, null, new StringSerializer(), new ByteArraySerializer());
        UserKeys flaky = new UserKeys(dataKeys, failing, new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()));
        var attempt = flaky.keyFor("p4");
        failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, attempt::get);
        assertTrue(e.getCause() instanceof PublishFailedException);
        var again = flaky.keyFor("p4");
        failing.completeNext();
        assertEquals(2, failing.history().size(), "a second key was published");
        assertTrue(again.get().id().length() == 16);
    }
}
