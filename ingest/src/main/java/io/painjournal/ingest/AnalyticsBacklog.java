package io.painjournal.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control on the analytics' backlog ({@code INGEST_MAX_ANALYTICS_LAG}): while analytics is counting
 * but has more than {@code maxLag} journal events still to count, ingest refuses new submissions with 503 and
 * {@code Retry-After}, so what it does accept is visible in the answers within about {@code maxLag} / counting
 * rate. It trades throughput for freshness: load beyond what analytics keeps up with is turned away at once
 * (the client retries; nothing of a refused request was sent) instead of queueing in the journal.
 *
 * <p>The backlog is read every {@code period} with Kafka's Admin API: the journal's end offsets against the
 * offsets the analytics application has committed, so it works whether analytics runs in this process or
 * another. Analytics that has committed nothing for {@link #STALLED_AFTER} (stopped, restoring its state, not
 * deployed yet) is not waited for: ingest then accepts everything, as without this control, since the journal
 * keeps it all and refusing would only make ingest's availability depend on analytics'. A failed reading
 * admits too.
 */
public final class AnalyticsBacklog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsBacklog.class);

    /** {@code painjournal_ingest_analytics_lag_events}: journal events analytics has still to count (-1: unknown). */
    public static final String LAG = "painjournal.ingest.analytics.lag.events";
    /** {@code painjournal_ingest_admission_refused_total}: submissions refused because analytics lagged. */
    public static final String REFUSED = "painjournal.ingest.admission.refused";

    /** Analytics whose committed offsets have not moved for this long is not waited for. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(5);
    /** How long one Admin call of a reading may take before the reading fails (and admits). */
    private static final int TIMEOUT_MS = 5000;

    private final Vertx vertx;
    private final Admin admin;
    private final String groupId;
    private final String topic;
    private final Gate gate;
    private final Counter refused;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final long timer;
    private final Context context;
    private volatile List<TopicPartition> partitions = List.of();
    private volatile long lag = -1;
    private volatile boolean refusing;

    /**
     * Starts reading the backlog of {@code groupId} (the analytics' Streams application id) on {@code topic}
     * every {@code period}; {@code maxLag} (positive) is the most events it may have still to count.
     */
    public AnalyticsBacklog(
            Vertx vertx,
            Admin admin,
            String groupId,
            String topic,
            long maxLag,
            Duration period,
            MeterRegistry registry) {
        if (maxLag < 1) {
            throw new IllegalArgumentException("maxLag must be positive: " + maxLag);
        }
        this.vertx = vertx;
        this.admin = admin;
        this.groupId = groupId;
        this.topic = topic;
        this.gate = new Gate(maxLag, STALLED_AFTER.toNanos());
        this.refused = Counter.builder(REFUSED)
                .description("Submissions refused with 503 because analytics had more than INGEST_MAX_ANALYTICS_LAG"
                        + " events still to count")
                .register(registry);
        Gauge.builder(LAG, this, AnalyticsBacklog::lag)
                .description("Journal events the analytics application has still to count, as ingest last read it")
                .register(registry);
        this.context = vertx.getOrCreateContext();
        this.timer = vertx.setPeriodic(period.toMillis(), id -> read());
        read();
    }

    /** Null when a submission may go ahead; else why it may not (the 503's detail). Counts each refusal. */
    public String refusal() {
        if (!refusing) {
            return null;
        }
        refused.increment();
        return "analytics has more than " + gate.maxLag + " events still to count; ingest takes new ones again"
                + " once it has caught up, so the answers stay fresh.";
    }

    /** The events analytics had still to count at the last reading; -1 before the first or after a failed one. */
    public long lag() {
        return lag;
    }

    /**
     * One reading, asynchronous on this instance's context (no thread waits for Kafka): the journal's
     * partitions (once), their end offsets, then the offsets the analytics group has committed.
     */
    private void read() {
        if (!reading.compareAndSet(false, true)) {
            return; // the previous reading is still under way
        }
        partitions()
                .compose(ps -> {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    ps.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    return onContext(admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(TIMEOUT_MS))
                            .all());
                })
                .compose(info -> {
                    Map<TopicPartition, Long> end = new HashMap<>();
                    info.forEach((tp, i) -> end.put(tp, i.offset()));
                    return onContext(admin.listConsumerGroupOffsets(
                                            groupId, new ListConsumerGroupOffsetsOptions().timeoutMs(TIMEOUT_MS))
                                    .partitionsToOffsetAndMetadata())
                            .map(committed -> {
                                Map<TopicPartition, Long> done = new HashMap<>();
                                committed.forEach((tp, o) -> {
                                    if (o != null) {
                                        done.put(tp, o.offset());
                                    }
                                });
                                lag = lag(end, done);
                                refusing = gate.refuse(lag, committedSum(end, done), System.nanoTime());
                                return null;
                            });
                })
                .onComplete(ar -> {
                    reading.set(false);
                    if (ar.failed()) {
                        lag = -1;
                        refusing = false;
                        LOG.debug(
                                "could not read the analytics backlog: {}",
                                ar.cause().toString());
                    }
                });
    }

    /** The journal's partitions, described at the first reading that can. */
    private Future<List<TopicPartition>> partitions() {
        if (!partitions.isEmpty()) {
            return Future.succeededFuture(partitions);
        }
        return onContext(admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS))
                        .allTopicNames())
                .map(described -> {
                    partitions = described.get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
                    return partitions;
                });
    }

    /** A Kafka Admin result, completed on this instance's context. */
    private <T> Future<T> onContext(KafkaFuture<T> result) {
        return Future.fromCompletionStage(result.toCompletionStage(), context);
    }

    /**
     * Events of {@code end}'s partitions not yet counted: per partition its end offset less the committed one
     * (a partition analytics never committed counts from 0).
     */
    static long lag(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            lag += Math.max(0, e.getValue() - committed.getOrDefault(e.getKey(), 0L));
        }
        return lag;
    }

    /** The sum of the committed offsets of {@code end}'s partitions: it grows while analytics counts. */
    static long committedSum(Map<TopicPartition, Long> end, Map<TopicPartition, Long> committed) {
        long sum = 0;
        for (TopicPartition tp : end.keySet()) {
            sum += committed.getOrDefault(tp, 0L);
        }
        return sum;
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }

    /**
     * The decision, from successive readings: refuse while the lag is above the limit and analytics has
     * committed progress within {@code stalledAfterNanos}. The first reading is no evidence of progress.
     */
    static final class Gate {
        final long maxLag;
        private final long stalledAfterNanos;
        private boolean first = true;
        private long lastCommitted;
        private long progressAt;

        Gate(long maxLag, long stalledAfterNanos) {
            this.maxLag = maxLag;
            this.stalledAfterNanos = stalledAfterNanos;
        }

        boolean refuse(long lag, long committed, long nowNanos) {
            if (first) {
                first = false;
                lastCommitted = committed;
                progressAt = nowNanos - stalledAfterNanos;
            } else if (committed != lastCommitted) {
                lastCommitted = committed;
                progressAt = nowNanos;
            }
            return lag > maxLag && nowNanos - progressAt < stalledAfterNanos;
        }
    }
}
