package io.painjournal.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.painjournal.analytics.cohorts.ArmReader;
import io.painjournal.analytics.cohorts.ArmReader.Arm;
import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.privacy.BoundedResearch;
import io.painjournal.analytics.query.AggregateReader;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.MergedAggregateReader;
import io.painjournal.analytics.query.StoreAggregateReader;
import io.painjournal.analytics.query.StoreExportReader;
import io.painjournal.analytics.query.StoreJournalReader;
import io.painjournal.analytics.query.ViewQueries;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.analytics.topology.AnalyticsSerdes;
import io.painjournal.analytics.topology.AnalyticsTopology;
import io.painjournal.analytics.topology.DeadLetterHandler;
import io.painjournal.analytics.topology.UnreadableRecordHandler;
import io.painjournal.metrics.StateStoreMetrics;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.query.NotReadyException;
import io.painjournal.topics.Topics;
import io.painjournal.web.Access;
import io.painjournal.web.Problem;
import io.painjournal.web.ReadinessCheck;
import io.painjournal.web.Responses;
import io.painjournal.web.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics role: runs the {@link AnalyticsTopology} with exactly-once processing, keeps its state
 * in RocksDB under {@code DATA_DIR/streams} (restored from changelogs, not recomputed), and answers
 * {@link AnalyticsQueries} from its local stores with interactive queries.
 */
public final class AnalyticsRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRole.class);
    /**
     * The Streams application (consumer group, internal topic prefix). Its suffix is the state layout's
     * version: a new layout starts a new application, which rebuilds its state from the journal topic.
     */
    public static final String APPLICATION_ID = "pain-journal-analytics-v6";
    /** The Streams producers' transaction timeout (Streams' own default under exactly-once is 10 s). */
    public static final int TRANSACTION_TIMEOUT_MS = 5000;
    /** Changelog records per poll of the restore consumer (Streams' default is the consumer's 1,000). */
    public static final int RESTORE_POLL_RECORDS = 10_000;
    /** {@code painjournal_analytics_freshness_seconds}: event accepted → visible in answers. */
    public static final String FRESHNESS = "painjournal.analytics.freshness";

    private static final Duration[] FRESHNESS_BUCKETS = java.util.stream.Stream.of(
                    10, 25, 50, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10_000, 30_000, 60_000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;
    private final Vertx vertx;
    private final HostInfo self;
    private final Clock clock;
    private final InternalApi internal;
    /** Chooses which cells a user counts in, in bounded research sums. */
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    private final MeterRegistry registry;
    private final Pseudonyms pseudonyms;
    /** Opens the users' kept events for their export. */
    private final DataKeys dataKeys;

    private AnalyticsRole(
            KafkaStreams streams,
            KafkaStreamsMetrics metrics,
            Vertx vertx,
            HostInfo self,
            Clock clock,
            InternalApi internal,
            MeterRegistry registry,
            Pseudonyms pseudonyms,
            DataKeys dataKeys) {
        this.dataKeys = dataKeys;
        this.streams = streams;
        this.metrics = metrics;
        this.vertx = vertx;
        this.self = self;
        this.clock = clock;
        this.internal = internal;
        this.registry = registry;
        this.pseudonyms = pseudonyms;
    }

    /**
     * How this instance is a member of the Streams group.
     *
     * @param instanceId     static membership ({@code group.instance.id}, Streams appends the thread's index): a
     *                       restarted instance is recognised as the same member and keeps its partitions, with no
     *                       rebalance and no wait for the session of its dead predecessor to expire
     * @param sessionTimeout how long a silent instance keeps its partitions before they move to the others
     * @param standbys       standby replicas: warm copies of each task's state on other instances, so a move
     *                       needs no restore from the changelogs
     */
    public record Membership(String instanceId, Duration sessionTimeout, int standbys) {
        public Membership {
            if (sessionTimeout.toMillis() < 6000) {
                throw new IllegalArgumentException(
                        "the brokers refuse sessions under 6 s (group.min.session.timeout.ms)");
            }
        }
    }

    /**
     * @param advertised        host:port at which this process's HTTP port is reachable by its peers
     * @param replicationFactor of the internal changelog topics
     * @param threads           stream threads (tasks are spread over them)
     */
    public static AnalyticsRole start(
            Vertx vertx,
            String bootstrapServers,
            Path stateDir,
            HostInfo advertised,
            short replicationFactor,
            int threads,
            Membership membership,
            InternalApi internal,
            MeterRegistry registry,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            Duration erasureMaxDelay) {
        Properties p = streamsProperties(bootstrapServers, stateDir, advertised, replicationFactor);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(DeadLetterHandler.REGISTRY_CONFIG, registry);
        membership(p, membership);
        erasure(p, erasureMaxDelay);
        Timer freshness = Timer.builder(FRESHNESS)
                .description("From an event's acceptance by ingest to its effect being visible in the answers")
                .serviceLevelObjectives(FRESHNESS_BUCKETS)
                .register(registry);
        KafkaStreams streams = new KafkaStreams(
                AnalyticsTopology.build(
                        eventTimestamp -> freshness.record(
                                Math.max(0, System.currentTimeMillis() - eventTimestamp), TimeUnit.MILLISECONDS),
                        pseudonyms,
                        dataKeys,
                        erasureMaxDelay.dividedBy(6),
                        registry),
                p);
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        for (String store : AnalyticsTopology.STORES) {
            StateStoreMetrics.register(registry, store, () -> localKeys(streams, store));
        }
        StateStoreMetrics.registerDirectory(registry, "analytics", stateDir);
        streams.setStateListener((now, before) -> LOG.info("analytics state {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("analytics stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        return new AnalyticsRole(
                streams, metrics, vertx, advertised, Clock.systemUTC(), internal, registry, pseudonyms, dataKeys);
    }

    /** Estimated keys of one store over the partitions this instance hosts (throws unless running). */
    private static long localKeys(KafkaStreams streams, String store) {
        requireRunning(streams);
        return streams.store(StoreQueryParameters.fromNameAndType(
                        store, QueryableStoreTypes.<Object, Object>keyValueStore()))
                .approximateNumEntries();
    }

    /**
     * The configs of this version's changelogs that differ from the defaults, by topic. Streams sets them
     * only on a changelog it creates; the application sets them at start on changelogs an earlier version
     * made (its {@code KafkaTopics.alignExisting}).
     */
    public static Map<String, Map<String, String>> changelogConfigs() {
        Map<String, Map<String, String>> configs = new java.util.TreeMap<>();
        for (String store : AnalyticsTopology.OVERWRITTEN_STORES) {
            configs.put(APPLICATION_ID + "-" + store + "-changelog", AnalyticsTopology.OVERWRITTEN_CHANGELOG);
        }
        return configs;
    }

    /** The Streams configuration of the role (also what the topology tests run with). */
    public static Properties streamsProperties(
            String bootstrapServers, Path stateDir, HostInfo advertised, short replicationFactor) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Transactional stores (KIP-892): a task's writes reach RocksDB when its transaction commits, so
        // after a crash a store is as of its last commit and only the changelog after that is replayed,
        // instead of every store of the crashed tasks being wiped and rebuilt from its whole changelog.
        // Answers read committed rows only, as the changelog and every other instance see them.
        p.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        p.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        // Short commits keep answers fresh: with EOS a result is visible downstream only once committed.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // Changelogs as durable as the journal: a write is acknowledged by all but one replica at least.
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(Math.max(1, replicationFactor - 1)));
        p.put(StreamsConfig.topicPrefix(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG), "false");
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, BoundedRocksDbConfig.RECORD_CACHE_BYTES);
        // Every RocksDB instance shares one block cache and one write-buffer budget: memory is set here,
        // not by the number of stores and partitions, nor by the data.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        // A record that is not a journal event is logged, counted, copied to the dead-letter topic and
        // skipped instead of stopping analytics.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecordHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS.name());
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        // Restoring in large batches (a store rebuilt from its changelog: lost or new local state, a task
        // moved to this instance; before transactional stores also every store after a crash): with the
        // larger memtable budget, 320,000 events' state restored in 6.0-7.1 s instead of 9.7-11.3 s
        // (docs/PERFORMANCE.md, 2026-12-03).
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), RESTORE_POLL_RECORDS);
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 8 * 1024 * 1024);
        // A killed instance's open transaction blocks its partitions' next owner (restore and committed
        // offsets wait for it) until the broker aborts it: 5 s after it began instead of Streams' 10 s.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        return p;
    }

    /**
     * Bounds how long a deleted row lives on physically (ERASURE_MAX_DELAY_S): changelog segments roll and
     * are compacted, and their tombstones dropped, within fractions of the bound; the per-user stores'
     * RocksDB files are compacted within half of it ({@code CompactingRocksDbStore}); the processor appends
     * a heartbeat to every store so quiet partitions roll too.
     */
    static void erasure(Properties p, Duration maxDelay) {
        long ms = maxDelay.toMillis();
        p.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), Long.toString(Math.max(1000, ms / 6)));
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                Long.toString(Math.max(1000, ms / 3)));
        p.put(StreamsConfig.topicPrefix(TopicConfig.DELETE_RETENTION_MS_CONFIG), Long.toString(Math.max(1000, ms / 6)));
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG),
                Long.toString(Topics.fileDeleteDelayMs(maxDelay)));
    }

    /** Adds static membership, the session timeout and standby replicas to the Streams properties. */
    static void membership(Properties p, Membership m) {
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), m.instanceId());
        int session = (int) m.sessionTimeout().toMillis();
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), session);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, session / 4));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, m.standbys());
    }

    /** Ready when the streams run with their state restored (not while starting or rebalancing). */
    public ReadinessCheck readiness() {
        return ReadinessCheck.of("analytics", () -> {
            KafkaStreams.State state = streams.state();
            return state == KafkaStreams.State.RUNNING
                    ? Future.succeededFuture()
                    : Future.failedFuture("analytics state is " + state);
        });
    }

    /** Answers from this instance's stores and, for partitions hosted elsewhere, from its peers. */
    public AnalyticsQueries queries(String reportingCurrency, int minUsers) {
        return new ViewQueries(
                this::allAggregates,
                this::journalAnywhere,
                this::allArms,
                this::allBounded,
                this::exportAnywhere,
                clock,
                reportingCurrency,
                minUsers,
                registry);
    }

    /** The service-to-service routes peers and api-only processes read this instance's partitions with. */
    public List<Route> internalRoutes() {
        return List.of(
                Route.get(
                        InternalApi.INSTANCES,
                        Access.INTERNAL,
                        ctx -> Responses.json(
                                ctx, 200, new JsonObject().put("instances", new JsonArray(instanceUrls())))),
                Route.get(InternalApi.AGGREGATES, Access.INTERNAL, this::aggregatesPage),
                Route.get(InternalApi.JOURNALS + ":userId", Access.INTERNAL, this::journalOf),
                Route.get(InternalApi.ARMS, Access.INTERNAL, this::armOf),
                Route.get(InternalApi.EXPORTS + ":userId", Access.INTERNAL, this::exportOf),
                Route.get(InternalApi.BOUNDED_RESEARCH, Access.INTERNAL, this::boundedOf));
    }

    private void aggregatesPage(RoutingContext ctx) {
        String from = ctx.request().getParam("from", "");
        String to = ctx.request().getParam("to", AggregateKey.END);
        String after = ctx.request().getParam("after");
        Integer limit = parsed(ctx, InternalApi::limitFrom);
        if (limit == null) {
            return;
        }
        localAggregates()
                .page(from, to, after, limit)
                .onSuccess(rows -> ctx.response()
                        .putHeader("Content-Type", InternalApi.SMILE)
                        .end(InternalApi.rowsBody(rows)))
                .onFailure(e -> Responses.unavailable(ctx, 1, e.getMessage()));
    }

    /** This instance's share of a study arm (its partitions only: the caller adds every instance's up). */
    private void armOf(RoutingContext ctx) {
        Arm arm = parsed(ctx, InternalApi::armFrom);
        if (arm != null) {
            smile(ctx, localArm(arm));
        }
    }

    /** The request parsed, or null after answering 400 with the parser's message. */
    private static <T> T parsed(
            RoutingContext ctx, java.util.function.Function<io.vertx.core.http.HttpServerRequest, T> parse) {
        try {
            return parse.apply(ctx.request());
        } catch (IllegalArgumentException e) {
            Problem.of(400, "Bad Request", e.getMessage()).send(ctx);
            return null;
        }
    }

    /** Answers a read with its Smile encoding, or 503 while the state cannot answer. */
    private static void smile(RoutingContext ctx, Future<?> read) {
        read.onSuccess(value -> ctx.response()
                        .putHeader("Content-Type", InternalApi.SMILE)
                        .end(InternalApi.smile(value)))
                .onFailure(e -> Responses.unavailable(ctx, 1, e.getMessage()));
    }

    /** This instance's partitions' bounded research sums (the input of a {@code privacy=dp} export). */
    private void boundedOf(RoutingContext ctx) {
        BoundedResearch.Query q = parsed(ctx, InternalApi::boundedFrom);
        if (q != null) {
            smile(ctx, localBounded(q));
        }
    }

    /** A page of the user's export, from this instance (when forwarded) or from the one that hosts the user. */
    private void exportOf(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        boolean forwarded = ctx.request().getHeader(InternalApi.FORWARDED_HEADER) != null;
        Integer limit = parsed(ctx, InternalApi::limitFrom);
        if (limit == null) {
            return;
        }
        String after = ctx.request().getParam("after");
        smile(ctx, forwarded ? localExport(userId, after, limit) : exportAnywhere(userId, after, limit));
    }

    private void journalOf(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        boolean forwarded = ctx.request().getHeader(InternalApi.FORWARDED_HEADER) != null;
        (forwarded ? localJournal(userId) : journalAnywhere(userId))
                .onSuccess(journal -> {
                    if (journal == null) {
                        ctx.response().setStatusCode(404).end();
                    } else {
                        ctx.response()
                                .putHeader("Content-Type", InternalApi.SMILE)
                                .end(Buffer.buffer(
                                        AnalyticsSerdes.journals().serializer().serialize("", journal)));
                    }
                })
                .onFailure(e -> Responses.unavailable(ctx, 1, e.getMessage()));
    }

    @Override
    public void close() {
        // Leave the group on the way out: the partitions move to the other instances (or to this one
        // after a restart) at once, instead of after the session timeout of the departed member.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        metrics.close();
    }

    private static void requireRunning(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new NotReadyException("analytics state is " + streams.state(), null);
        }
    }

    /** Base URLs of every analytics instance, this one included. */
    private List<String> instanceUrls() {
        List<String> urls = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            urls.add("http://" + m.host() + ":" + m.port());
        }
        return urls;
    }

    /** This instance's partitions, merged with every other instance's (over HTTP, asked in parallel). */
    private Future<AggregateReader> allAggregates() {
        return attempt(() -> {
            requireRunning(streams);
            List<AggregateReader> readers = new ArrayList<>();
            readers.add(localAggregates());
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                if (!m.hostInfo().equals(self)) {
                    readers.add(internal.aggregates("http://" + m.host() + ":" + m.port()));
                }
            }
            return new MergedAggregateReader(readers);
        });
    }

    /** A study arm over every instance's partitions, this one's and its peers' (asked in parallel). */
    private Future<ArmSums> allArms(Arm arm) {
        return everyShare(() -> localArm(arm), url -> internal.arm(url, arm)).compose(InternalApi::sum);
    }

    /** Bounded research sums over every instance's partitions. */
    private Future<Map<String, double[]>> allBounded(BoundedResearch.Query q) {
        return everyShare(() -> localBounded(q), url -> internal.bounded(url, q))
                .compose(InternalApi::merge);
    }

    /** Every instance's share of an answer, asked at once: this one's from its stores, each peer's over HTTP. */
    private <T> Future<List<Future<T>>> everyShare(
            java.util.function.Supplier<Future<T>> local, java.util.function.Function<String, Future<T>> peer) {
        return attempt(() -> {
            requireRunning(streams);
            List<Future<T>> shares = new ArrayList<>();
            shares.add(local.get());
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                if (!m.hostInfo().equals(self)) {
                    shares.add(peer.apply("http://" + m.host() + ":" + m.port()));
                }
            }
            return shares;
        });
    }

    /** This instance's partitions' bounded research sums, read on a worker thread (a scan of the contributions). */
    private Future<Map<String, double[]>> localBounded(BoundedResearch.Query q) {
        return blocking(() -> {
            requireRunning(streams);
            List<Map<String, double[]>> shares = new ArrayList<>();
            for (int partition : localPartitions()) {
                shares.add(
                        BoundedResearch.sums(localStore(AnalyticsTopology.CONTRIBUTIONS_STORE, partition), q, random));
            }
            return BoundedResearch.merge(shares);
        });
    }

    /** This instance's partitions' share of a study arm, read on a worker thread. */
    private Future<ArmSums> localArm(Arm arm) {
        return blocking(() -> {
            requireRunning(streams);
            ArmSums sums = ArmSums.ZERO;
            for (int partition : localPartitions()) {
                sums = sums.plus(ArmReader.sums(
                        localStore(AnalyticsTopology.MEMBERS_STORE, partition),
                        localStore(AnalyticsTopology.SESSIONS_STORE, partition),
                        localStore(AnalyticsTopology.ENTRIES_STORE, partition),
                        arm.cohort(),
                        arm.technique(),
                        arm.days()));
            }
            return sums;
        });
    }

    /** The journal partitions whose active task runs here. */
    private List<Integer> localPartitions() {
        return journalPartitions(streams.metadataForLocalThreads());
    }

    /**
     * The journal partitions of these threads' active tasks, in ascending order: the order in which their
     * shares are added up. Which thread holds which task changes from one start to the next. The aggregates'
     * and the arms' sums are exact in any order ({@code Stats}, {@code ArmSums}); the bounded research sums
     * are floating-point, and in thread order they would change in their last digits from one start to the
     * next.
     */
    static List<Integer> journalPartitions(java.util.Collection<ThreadMetadata> threads) {
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
    private AggregateReader localAggregates() {
        return (from, to, after, limit) -> blocking(() -> localStores().read(from, to, after, limit));
    }

    /** One reader per partition this instance hosts, added up key by key. */
    private StoreAggregateReader localStores() {
        requireRunning(streams);
        List<ReadOnlyKeyValueStore<String, Stats>> stores = new ArrayList<>();
        for (int partition : localPartitions()) {
            stores.add(localStore(AnalyticsTopology.AGGREGATES_STORE, partition));
        }
        return new StoreAggregateReader(stores);
    }

    /** The user's journal, from this instance or from the instance that hosts it. */
    private Future<UserJournal> journalAnywhere(String userId) {
        return attempt(() -> whereIs(userId))
                .compose(where -> self.equals(where.activeHost())
                        ? localJournal(userId)
                        : internal.journal(
                                "http://" + where.activeHost().host() + ":"
                                        + where.activeHost().port(),
                                userId,
                                true));
    }

    /** A page of the user's export, from this instance or from the instance that hosts it. */
    private Future<io.painjournal.query.Results.ExportPage> exportAnywhere(String userId, String after, int limit) {
        return attempt(() -> whereIs(userId))
                .compose(where -> self.equals(where.activeHost())
                        ? localExport(userId, after, limit)
                        : internal.export(
                                "http://" + where.activeHost().host() + ":"
                                        + where.activeHost().port(),
                                userId,
                                after,
                                limit,
                                true));
    }

    private Future<io.painjournal.query.Results.ExportPage> localExport(String userId, String after, int limit) {
        return blocking(() -> {
            KeyQueryMetadata where = whereIs(userId);
            if (!self.equals(where.activeHost())) {
                throw new NotReadyException("this user's journal moved to " + where.activeHost(), null);
            }
            return StoreExportReader.page(
                    localStore(AnalyticsTopology.EVENTS_STORE, where.partition()),
                    streams.store(StoreQueryParameters.fromNameAndType(
                            AnalyticsTopology.KEYS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())),
                    dataKeys,
                    pseudonyms.of(userId),
                    after,
                    limit);
        });
    }

    private Future<UserJournal> localJournal(String userId) {
        return blocking(() -> {
            KeyQueryMetadata where = whereIs(userId);
            if (!self.equals(where.activeHost())) {
                throw new NotReadyException("this user's journal moved to " + where.activeHost(), null);
            }
            return StoreJournalReader.read(
                    localStore(AnalyticsTopology.SESSIONS_STORE, where.partition()),
                    localStore(AnalyticsTopology.ENTRIES_STORE, where.partition()),
                    localStore(AnalyticsTopology.TRIALS_STORE, where.partition()),
                    pseudonyms.of(userId));
        });
    }

    /** Runs a read of the stores on a worker thread; a store that is moving fails it with NotReadyException. */
    private <T> Future<T> blocking(java.util.concurrent.Callable<T> read) {
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

    /** The value, or its failure as a failed future (NotReadyException while the state cannot answer). */
    private static <T> Future<T> attempt(java.util.function.Supplier<T> value) {
        try {
            return Future.succeededFuture(value.get());
        } catch (InvalidStateStoreException e) {
            return Future.failedFuture(moving(e));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** A store that is being restored or moved to another instance: the caller answers 503, never 500. */
    private static NotReadyException moving(InvalidStateStoreException e) {
        return new NotReadyException("analytics state is moving: " + e.getMessage(), e);
    }

    private <V> ReadOnlyKeyValueStore<String, V> localStore(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }

    /** Where the user's partition is: the journal is keyed by their pseudonym. */
    private KeyQueryMetadata whereIs(String userId) {
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
}
