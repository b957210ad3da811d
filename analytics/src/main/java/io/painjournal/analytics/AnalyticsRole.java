package io.painjournal.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.painjournal.analytics.query.ClusterState;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalRoutes;
import io.painjournal.analytics.query.LocalState;
import io.painjournal.analytics.query.ViewQueries;
import io.painjournal.analytics.topology.AnalyticsTopology;
import io.painjournal.metrics.StateStoreMetrics;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.web.ReadinessCheck;
import io.painjournal.web.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics role: runs the {@link AnalyticsTopology} with exactly-once processing ({@link StreamsSettings}),
 * keeps its state in RocksDB under {@code DATA_DIR/streams} (restored from changelogs, not recomputed), and
 * answers {@link AnalyticsQueries} from its local stores ({@link LocalState}) and its peers'
 * ({@link ClusterState}) with interactive queries; its peers read its stores with {@link InternalRoutes}.
 */
public final class AnalyticsRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRole.class);
    /**
     * The Streams application (consumer group, internal topic prefix). Its suffix is the state layout's
     * version: a new layout starts a new application, which rebuilds its state from the journal topic.
     */
    public static final String APPLICATION_ID = "pain-journal-analytics-v8";
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
    private final Clock clock;
    private final MeterRegistry registry;
    private final LocalState local;
    private final ClusterState cluster;

    private AnalyticsRole(
            KafkaStreams streams,
            KafkaStreamsMetrics metrics,
            Clock clock,
            MeterRegistry registry,
            LocalState local,
            ClusterState cluster) {
        this.streams = streams;
        this.metrics = metrics;
        this.clock = clock;
        this.registry = registry;
        this.local = local;
        this.cluster = cluster;
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
        StreamsSettings.addRole(p, threads, membership, registry, erasureMaxDelay);
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
        LocalState local = new LocalState(streams, vertx, advertised, pseudonyms, dataKeys);
        for (String store : AnalyticsTopology.STORES) {
            StateStoreMetrics.register(registry, store, () -> local.approximateKeys(store));
        }
        StateStoreMetrics.registerDirectory(registry, "analytics", stateDir);
        streams.setStateListener((now, before) -> LOG.info("analytics state {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("analytics stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new AnalyticsRole(
                streams,
                metrics,
                Clock.systemUTC(),
                registry,
                local,
                new ClusterState(streams, advertised, local, internal));
    }

    /** The configs of this version's changelogs that differ from the defaults, by topic ({@link StreamsSettings}). */
    public static Map<String, Map<String, String>> changelogConfigs() {
        return StreamsSettings.changelogConfigs();
    }

    /** The Streams configuration of the role (also what the topology tests run with). */
    public static Properties streamsProperties(
            String bootstrapServers, Path stateDir, HostInfo advertised, short replicationFactor) {
        return StreamsSettings.common(bootstrapServers, stateDir, advertised, replicationFactor);
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
                cluster::aggregates,
                cluster::journal,
                cluster::arm,
                cluster::bounded,
                cluster::export,
                cluster::trialPairs,
                clock,
                reportingCurrency,
                minUsers,
                registry);
    }

    /** The service-to-service routes peers and api-only processes read this instance's partitions with. */
    public List<Route> internalRoutes() {
        return new InternalRoutes(local, cluster).routes();
    }

    @Override
    public void close() {
        // Leave the group on the way out: the partitions move to the other instances (or to this one
        // after a restart) at once, instead of after the session timeout of the departed member.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        metrics.close();
    }
}
