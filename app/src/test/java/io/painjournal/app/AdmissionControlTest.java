package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.AnalyticsRole;
import io.painjournal.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INGEST_MAX_ANALYTICS_LAG over HTTP, on an ingest-only process and a real broker, with the analytics
 * application's progress played by committing its offsets with the Admin API: while analytics commits progress
 * but has more than the limit still to count, a submission is 503 with Retry-After and nothing of it is
 * written; once it has caught up, 202 again; analytics that makes no progress (here: none running at the start,
 * later: stuck) is not waited for.
 */
class AdmissionControlTest {

    static final int MAX_LAG = 5;

    @Test
    void ingestRefusesWhileAnalyticsCountsButLagsAndAdmitsOnceCaughtUpOrStalled(
            @TempDir Path brokerDir, @TempDir Path dataDir) throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, TestApps.freePort());
        Map<String, String> env = TestApps.env(dataDir);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("ROLES", "ingest");
        env.put("INGEST_MAX_ANALYTICS_LAG", Integer.toString(MAX_LAG));
        try (Application app = TestApps.start(env);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String token = TestJwt.token("ops", "admin");

            // No analytics has committed anything: nothing to wait for, everything is accepted.
            for (int i = 0; i < 20; i++) {
                assertEquals(202, post(http, token).status());
            }
            Map<TopicPartition, Long> end = endOffsets(admin);
            assertEquals(20, end.values().stream().mapToLong(Long::longValue).sum());

            // Analytics counts (its offsets move) but has 15 > 5 events still to count: refused.
            commit(admin, end, 5);
            TestApps.await(
                    "a refusal", Duration.ofSeconds(10), () -> post(http, token).status() == 503);
            long written = sum(endOffsets(admin));
            TestHttp.Response refused = post(http, token);
            assertEquals(503, refused.status(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/problem+json", refused.contentType());
            assertTrue(refused.body().contains("analytics has more than 5 events still to count"), refused.body());
            assertEquals(written, sum(endOffsets(admin)), "nothing of a refused submission was written");
            String metrics = http.get("/metrics", null).body();
            assertTrue(metrics.contains("painjournal_ingest_analytics_lag_events{"), metrics);
            assertTrue(metric(metrics, "painjournal_ingest_admission_refused_total") >= 2, metrics);

            // Caught up: accepted again.
            commit(admin, end, 20);
            TestApps.await(
                    "accepted again",
                    Duration.ofSeconds(10),
                    () -> post(http, token).status() == 202);

            // Behind again but stuck (no commit moves for longer than the stall limit): not waited for.
            for (int i = 0; i < 10; i++) {
                post(http, token);
            }
            Map<TopicPartition, Long> now = endOffsets(admin);
            commit(admin, now, sum(now) - 10);
            TestApps.await(
                    "a refusal again",
                    Duration.ofSeconds(10),
                    () -> post(http, token).status() == 503);
            long stuckAt = System.nanoTime();
            TestApps.await(
                    "admitted while analytics is stuck",
                    Duration.ofSeconds(15),
                    () -> post(http, token).status() == 202);
            assertTrue(
                    System.nanoTime() - stuckAt >= TimeUnit.SECONDS.toNanos(3),
                    "refused until analytics counted as stuck, not at once");
        } finally {
            broker.close();
        }
    }

    private static TestHttp.Response post(TestHttp http, String token) {
        return http.postJson(
                "/v1/sessions",
                token,
                IngestEndToEndTest.session(UUID.randomUUID().toString(), "u-adm", ""));
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        int partitions = admin.describeTopics(java.util.List.of(Topics.JOURNAL.name()))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(Topics.JOURNAL.name())
                .partitions()
                .size();
        for (int p = 0; p < partitions; p++) {
            specs.put(new TopicPartition(Topics.JOURNAL.name(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).forEach((tp, i) -> end.put(tp, i.offset()));
        return end;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Commits, as the analytics application, offsets that leave {@code sum(end) - counted} events uncounted. */
    private static void commit(Admin admin, Map<TopicPartition, Long> end, long counted) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long left = counted;
        java.util.List<TopicPartition> order = end.keySet().stream()
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                .toList();
        for (TopicPartition tp : order) {
            long take = Math.min(left, end.get(tp));
            offsets.put(tp, new OffsetAndMetadata(take));
            left -= take;
        }
        admin.alterConsumerGroupOffsets(AnalyticsRole.APPLICATION_ID, offsets)
                .all()
                .get(10, TimeUnit.SECONDS);
    }

    private static double metric(String metrics, String name) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
