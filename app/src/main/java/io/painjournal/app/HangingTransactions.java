package io.painjournal.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts hanging transactions on this product's topics, as Kafka's own
 * {@code kafka-transactions.sh find-hanging} and {@code abort} do, every {@link #PERIOD}.
 * <p>A hanging transaction is one a partition holds open while its coordinator has finished it (or never
 * knew the partition was in it): no marker will ever come, so the partition's last stable offset stops and
 * read-committed readers see nothing after it, for ever. Kafka 4.4 leaves one behind now and then when a
 * broker restarts while a Streams transaction is being committed: the coordinator, loading its state,
 * completes the commit before the restarted broker leads the partition again, and skips the partition
 * ({@code KafkaOutageTest} found a keys partition held this way in 2 of 6 full-suite runs; its producer's state
 * showed the open transaction, the coordinator {@code CompleteCommit}). Once a transaction has been open
 * past {@link #OLDER_THAN} (every producer here times out after
 * {@link io.painjournal.analytics.AnalyticsRole#TRANSACTION_TIMEOUT_MS}) and its coordinator does not have
 * it ongoing on that partition, the partition gets the abort marker it lacks.
 */
final class HangingTransactions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);

    /** How often the topics are checked. */
    static final Duration PERIOD = Duration.ofSeconds(5);
    /** How long a transaction must have been open on a partition before it may be hanging. */
    static final Duration OLDER_THAN = Duration.ofSeconds(30);
    /** Topics of this product: its own and its Streams application's changelogs. */
    static final String PREFIX = "pain-journal";

    private final Admin admin;
    private final Clock clock;
    private final Counter aborted;
    private final ScheduledExecutorService timer;

    HangingTransactions(Admin admin, Clock clock, MeterRegistry registry) {
        this.admin = admin;
        this.clock = clock;
        this.aborted = Counter.builder("painjournal.kafka.hanging.transactions.aborted")
                .description("Hanging transactions found on the product's topics and aborted")
                .register(registry);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hanging-transactions");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks every {@link #PERIOD} on a thread of its own, from now until {@link #close}. */
    HangingTransactions start() {
        timer.scheduleWithFixedDelay(this::checkQuietly, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (Exception e) { // Kafka away, a topic deleted meanwhile: the next check tries again
            LOG.debug("hanging-transaction check skipped: {}", e.toString());
        }
    }

    /** One check: the hanging transactions found and aborted. */
    List<AbortTransactionSpec> check() throws Exception {
        Set<String> topics = new HashSet<>();
        for (String topic : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
            if (topic.startsWith(PREFIX)) {
                topics.add(topic);
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription d : admin.describeTopics(topics)
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .values()) {
            d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
        }
        Map<TopicPartition, List<ProducerState>> open = new HashMap<>();
        admin.describeProducers(partitions).all().get(10, TimeUnit.SECONDS).forEach((tp, producers) -> {
            List<ProducerState> old = openLongerThan(producers.activeProducers(), clock.millis(), OLDER_THAN);
            if (!old.isEmpty()) {
                open.put(tp, old);
            }
        });
        if (open.isEmpty()) {
            return List.of();
        }
        Set<Long> producerIds = new HashSet<>();
        open.values().forEach(list -> list.forEach(p -> producerIds.add(p.producerId())));
        Map<Long, TransactionDescription> byProducer = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (TransactionListing l : admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                .all()
                .get(10, TimeUnit.SECONDS)) {
            ids.add(l.transactionalId());
        }
        if (!ids.isEmpty()) {
            admin.describeTransactions(ids)
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .values()
                    .forEach(d -> byProducer.put(d.producerId(), d));
        }
        List<AbortTransactionSpec> hanging = hanging(open, byProducer);
        for (AbortTransactionSpec spec : hanging) {
            LOG.warn(
                    "aborting a hanging transaction on {} (producer {}, epoch {}): its coordinator has it {}",
                    spec.topicPartition(),
                    spec.producerId(),
                    spec.producerEpoch(),
                    byProducer.containsKey(spec.producerId())
                            ? byProducer.get(spec.producerId()).state()
                            : "not at all");
            admin.abortTransaction(spec).all().get(10, TimeUnit.SECONDS);
            aborted.increment();
        }
        return hanging;
    }

    /** The producers holding a transaction open on the partition since longer than {@code olderThan}. */
    static List<ProducerState> openLongerThan(List<ProducerState> producers, long nowMs, Duration olderThan) {
        return producers.stream()
                .filter(p -> p.currentTransactionStartOffset().isPresent()
                        && nowMs - p.lastTimestamp() >= olderThan.toMillis())
                .toList();
    }

    /**
     * Which of the open transactions hang: those whose coordinator does not have them, has them for another
     * producer epoch, or has them in a state other than ongoing or being completed, or without this partition.
     */
    static List<AbortTransactionSpec> hanging(
            Map<TopicPartition, List<ProducerState>> open, Map<Long, TransactionDescription> coordinators) {
        List<AbortTransactionSpec> hanging = new ArrayList<>();
        open.forEach((tp, producers) -> {
            for (ProducerState p : producers) {
                TransactionDescription d = coordinators.get(p.producerId());
                boolean live = d != null
                        && d.producerEpoch() == p.producerEpoch()
                        && Set.of(
                                        TransactionState.ONGOING,
                                        TransactionState.PREPARE_COMMIT,
                                        TransactionState.PREPARE_ABORT)
                                .contains(d.state())
                        && d.topicPartitions().contains(tp);
                if (!live) {
                    hanging.add(new AbortTransactionSpec(
                            tp,
                            p.producerId(),
                            (short) p.producerEpoch(),
                            p.coordinatorEpoch().orElse(0)));
                }
            }
        });
        return hanging;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
