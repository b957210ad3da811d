package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which open transactions hang: the case KafkaOutageTest met, and the live ones that must be left alone. */
class HangingTransactionsTest {

    static final TopicPartition KEYS_0 = new TopicPartition("pain-journal.keys.v2", 0);
    static final long NOW = 1_796_699_640_000L;

    /** A producer holding a transaction open on the partition since {@code ageS} seconds. */
    static ProducerState open(long producerId, int epoch, long ageS) {
        return new ProducerState(producerId, epoch, 0, NOW - ageS * 1000, OptionalInt.empty(), OptionalLong.of(4));
    }

    static TransactionDescription coordinator(
            long producerId, int epoch, TransactionState state, TopicPartition... in) {
        return new TransactionDescription(1, state, producerId, epoch, 5000, OptionalLong.empty(), Set.of(in));
    }

    @Test
    void onlyTransactionsOpenLongerThanEveryTimeoutAreCandidates() {
        ProducerState idempotent = new ProducerState(0, 0, 8, NOW - 120_000, OptionalInt.empty(), OptionalLong.empty());
        List<ProducerState> producers = List.of(open(3, 4, 130), open(2, 2, 3), idempotent);
        assertEquals(
                List.of(open(3, 4, 130)), HangingTransactions.openLongerThan(producers, NOW, Duration.ofSeconds(30)));
    }

    @Test
    void aTransactionItsCoordinatorCompletedIsHangingAndGetsItsAbortMarker() {
        // as seen: keys partition 0 held by producer 3 epoch 4 since offset 4, the coordinator CompleteCommit
        List<AbortTransactionSpec> hanging = HangingTransactions.hanging(
                Map.of(KEYS_0, List.of(open(3, 4, 130))),
                Map.of(3L, coordinator(3, 4, TransactionState.COMPLETE_COMMIT)));
        assertEquals(List.of(new AbortTransactionSpec(KEYS_0, 3, (short) 4, 0)), hanging);
    }

    @Test
    void unknownToItsCoordinatorOrOngoingWithoutThePartitionOrAnOlderEpochIsHangingToo() {
        assertEquals(
                1,
                HangingTransactions.hanging(Map.of(KEYS_0, List.of(open(7, 0, 60))), Map.of())
                        .size());
        assertEquals(
                1,
                HangingTransactions.hanging(
                                Map.of(KEYS_0, List.of(open(3, 4, 60))),
                                Map.of(3L, coordinator(3, 4, TransactionState.ONGOING, new TopicPartition("other", 0))))
                        .size());
        assertEquals(
                1,
                HangingTransactions.hanging(
                                Map.of(KEYS_0, List.of(open(3, 4, 60))),
                                Map.of(3L, coordinator(3, 5, TransactionState.ONGOING, KEYS_0)))
                        .size());
    }

    @Test
    void aTransactionItsCoordinatorHasOngoingOrCompletingOnThePartitionIsLeftAlone() {
        for (TransactionState state :
                List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT)) {
            assertEquals(
                    List.of(),
                    HangingTransactions.hanging(
                            Map.of(KEYS_0, List.of(open(3, 4, 60))), Map.of(3L, coordinator(3, 4, state, KEYS_0))),
                    state.toString());
        }
    }

    /**
     * On a real broker: a transaction a live producer holds open is ongoing at its coordinator, so even seen
     * a minute later (the clock moved on) it is not touched, and its commit then goes through.
     */
    @Test
    void aLiveTransactionOnARealBrokerIsNotAborted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, TestApps.freePort());
                org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                        Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("pain-journal.test", 1, (short) 1)))
                    .all()
                    .get();
            try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                    new org.apache.kafka.clients.producer.KafkaProducer<>(
                            Map.of(
                                    "bootstrap.servers",
                                    broker.bootstrapServers(),
                                    "transactional.id",
                                    "hanging-test",
                                    "transaction.timeout.ms",
                                    60_000),
                            new org.apache.kafka.common.serialization.StringSerializer(),
                            new org.apache.kafka.common.serialization.StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("pain-journal.test", "k", "v"))
                        .get();
                HangingTransactions check = new HangingTransactions(
                        admin,
                        java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(1)),
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
                assertEquals(List.of(), check.check(), "open a minute, but ongoing at its coordinator");
                producer.commitTransaction(); // would fail had the check aborted it
            }
        }
    }
}
