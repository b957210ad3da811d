package io.painjournal.analytics.query;

import io.painjournal.analytics.cohorts.ArmReader;
import io.painjournal.analytics.cohorts.ArmReader.Arm;
import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.privacy.BoundedResearch;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.analytics.topology.AnalyticsTopology;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.query.NotReadyException;
import io.painjournal.query.Results;
import io.painjournal.topics.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of this instance's stores (interactive queries of the partitions whose active task runs here), on
 * worker threads: this instance's share of an answer, or a user's rows when this instance hosts the user.
 * A store that is being restored or moved fails a read with {@link NotReadyException}.
 */
public final class LocalState {

    private static final Logger LOG = LoggerFactory.getLogger(LocalState.class);

    private final KafkaStreams streams;
    private final Vertx vertx;
    private final HostInfo self;
    private final Pseudonyms pseudonyms;
    /** Opens the users' kept events for their export. */
    private final DataKeys dataKeys;
    /** Chooses which cells a user counts in, in bounded research sums. */
    private final SecureRandom random = new SecureRandom();

    /** @param self host:port at which this process's HTTP port is reachable by its peers */
    public LocalState(KafkaStreams streams, Vertx vertx, HostInfo self, Pseudonyms pseudonyms, DataKeys dataKeys) {
        this.streams = streams;
        this.vertx = vertx;
        this.self = self;
        this.pseudonyms = pseudonyms;
        this.dataKeys = dataKeys;
    }

    /** Estimated keys of one store over the partitions this instance hosts (throws unless running). */
    public long approximateKeys(String store) {
        requireRunning(streams);
        return streams.store(StoreQueryParameters.fromNameAndType(
                        store, QueryableStoreTypes.<Object, Object>keyValueStore()))
                .approximateNumEntries();
    }

    /** This instance's partitions' bounded research sums, read on a worker thread (a scan of the contributions). */
    Future<Map<String, double[]>> bounded(BoundedResearch.Query q) {
        return blocking(() -> {
            requireRunning(streams);
            List<Map<String, double[]>> shares = new ArrayList<>();
            for (int partition : partitions()) {
                shares.add(BoundedResearch.sums(store(AnalyticsTopology.CONTRIBUTIONS_STORE, partition), q, random));
            }
            return BoundedResearch.merge(shares);
        });
    }

    /** This instance's partitions' trials of a pair ({@code a|b}, a before b), by user, read on a worker thread. */
    Future<io.painjournal.analytics.trials.PairTrials> trialPairs(List<String> pair) {
        return blocking(() -> {
            requireRunning(streams);
            String prefix = io.painjournal.analytics.journal.JournalKeys.pairPrefix(pair);
            java.util.Map<String, List<io.painjournal.analytics.trials.CountedTrial>> byUser =
                    new java.util.TreeMap<>();
            for (int partition : partitions()) {
                org.apache.kafka.streams.state.ReadOnlyKeyValueStore<
                                String, io.painjournal.analytics.trials.CountedTrial>
                        store = store(AnalyticsTopology.TRIAL_PAIRS_STORE, partition);
                try (var it = store.range(prefix, prefix + "}")) {
                    it.forEachRemaining(kv -> {
                        String rest = kv.key.substring(prefix.length());
                        byUser.computeIfAbsent(rest.substring(0, rest.indexOf('|')), u -> new java.util.ArrayList<>())
                                .add(kv.value);
                    });
                }
            }
            return new io.painjournal.analytics.trials.PairTrials(byUser);
        });
    }

    /** This instance's partitions' share of a study arm, read on a worker thread. */
    Future<ArmSums> arm(Arm arm) {
        return blocking(() -> {
            requireRunning(streams);
            ArmSums sums = ArmSums.ZERO;
            for (int partition : partitions()) {
                sums = sums.plus(ArmReader.sums(
                        store(AnalyticsTopology.MEMBERS_STORE, partition),
                        store(AnalyticsTopology.SESSIONS_STORE, partition),
                        store(AnalyticsTopology.ENTRIES_STORE, partition),
                        arm.cohort(),
                        arm.technique(),
                        arm.days()));
            }
            return sums;
        });
    }

    /** The journal partitions whose active task runs here. */
    private List<Integer> partitions() {
        return journalPartitions(streams.metadataForLocalThreads());
    }

    /**
     * The journal partitions of these threads' active tasks, in ascending order: the order in which their
     * shares are added up. Which thread holds which task changes from one start to the next. The aggregates'
     * and the arms' sums are exact in any order ({@code Stats}, {@code ArmSums}); the bounded research sums
     * are floating-point, and in thread order they would change in their last digits from one start to the
     * next.
     */
    static List<Integer> journalPartitions(Collection<ThreadMetadata> threads) {
        List<Integer> partitions = new ArrayList<>();
        for (ThreadMetadata thread : threads) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.JOURNAL.name()))
                        .forEach(tp -> partitions.add(tp.partition()));
            }
        }
        partitions.sort(null);
        return partitions;
    }

    /** This instance's share of every aggregate, read on a worker thread. */
    AggregateReader aggregates() {
        return (from, to, after, limit) -> blocking(() -> aggregateStores().read(from, to, after, limit));
    }

    /** One reader per partition this instance hosts, added up key by key. */
    private StoreAggregateReader aggregateStores() {
        requireRunning(streams);
        List<ReadOnlyKeyValueStore<String, Stats>> stores = new ArrayList<>();
        for (int partition : partitions()) {
            stores.add(store(AnalyticsTopology.AGGREGATES_STORE, partition));
        }
        return new StoreAggregateReader(stores);
    }

    /** A page of the user's export, when this instance hosts the user. */
    Future<Results.ExportPage> export(String userId, String after, int limit) {
        return ofHostedUser(
                userId,
                partition -> StoreExportReader.page(
                        store(AnalyticsTopology.EVENTS_STORE, partition),
                        store(AnalyticsTopology.KEYS_STORE, partition), // the user's keys are on their partition
                        dataKeys,
                        pseudonyms.of(userId),
                        after,
                        limit));
    }

    /** The user's journal, when this instance hosts the user. */
    Future<UserJournal> journal(String userId) {
        return ofHostedUser(
                userId,
                partition -> StoreJournalReader.read(
                        store(AnalyticsTopology.SESSIONS_STORE, partition),
                        store(AnalyticsTopology.ENTRIES_STORE, partition),
                        store(AnalyticsTopology.TRIALS_STORE, partition),
                        pseudonyms.of(userId)));
    }

    /** Reads the user's partition on a worker thread; fails with NotReadyException unless it is hosted here. */
    private <T> Future<T> ofHostedUser(String userId, IntFunction<T> read) {
        return blocking(() -> {
            KeyQueryMetadata where = whereIs(userId);
            if (!self.equals(where.activeHost())) {
                throw new NotReadyException("this user's journal moved to " + where.activeHost(), null);
            }
            return read.apply(where.partition());
        });
    }

    /** Where the user's partition is (here or on another instance): the journal is keyed by their pseudonym. */
    KeyQueryMetadata whereIs(String userId) {
        requireRunning(streams);
        KeyQueryMetadata where = streams.queryMetadataForKey(
                AnalyticsTopology.SESSIONS_STORE,
                pseudonyms.of(userId),
                Serdes.String().serializer());
        if (where == null || where == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new NotReadyException("no analytics instance hosts this user right now", null);
        }
        return where;
    }

    /** Runs a read of the stores on a worker thread; a store that is moving fails it with NotReadyException. */
    private <T> Future<T> blocking(Callable<T> read) {
        return vertx.executeBlocking(
                () -> {
                    long start = System.nanoTime();
                    try {
                        return read.call();
                    } catch (InvalidStateStoreException e) {
                        throw moving(e);
                    } finally {
                        LOG.debug("read the local stores in {} µs", (System.nanoTime() - start) / 1000);
                    }
                },
                false);
    }

    /** A store that is being restored or moved to another instance: the caller answers 503, never 500. */
    static NotReadyException moving(InvalidStateStoreException e) {
        return new NotReadyException("analytics state is moving: " + e.getMessage(), e);
    }

    static void requireRunning(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new NotReadyException("analytics state is " + streams.state(), null);
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }
}
