package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analytics answers are the same after a restart on the same DATA_DIR, and counting goes on. */
class AnalyticsRestartTest {

    private static final List<String> PATHS = List.of(
            "/v1/techniques",
            "/v1/techniques/melt/trend",
            "/v1/techniques/tennis-ball/trend",
            "/v1/users/r-003/techniques",
            "/v1/users/r-003/journal",
            "/v1/users/r-010/trend");

    private static Map<String, String> answers(TestHttp http) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String path : PATHS) {
            TestHttp.Response r = http.get(path, AnalyticsEndToEndTest.ADMIN);
            assertEquals(200, r.status(), path + ": " + r.body());
            JsonNode body = r.json();
            ((ObjectNode) body).remove("asOf");
            result.put(path, body.toString());
        }
        result.put(
                "research",
                http.get("/v1/research/trends", AnalyticsEndToEndTest.RESEARCHER)
                        .body());
        return result;
    }

    /** Starts, posts the journal (shuffled, with re-posts), waits until it is counted, answers, stops. */
    private static Map<String, String> postAndAnswer(Map<String, String> env, JournalGenerator journal, long seed)
            throws Exception {
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            AnalyticsEndToEndTest.postShuffledWithRepeats(http, journal, new Random(seed));
            AnalyticsEndToEndTest.awaitPopulation(
                    http, new Oracle(journal.sessions, journal.entries), Duration.ofSeconds(60));
            return answers(http);
        }
    }

    @Test
    void answersSurviveARestartAndNewEventsStillCount(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        JournalGenerator journal = new JournalGenerator(30, 3, "r-");
        Map<String, String> before = postAndAnswer(env, journal, 5);
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            awaitReady(http, "restart", PATHS);
            assertEquals(before, answers(http), "the same answers, restored rather than recomputed");

            String token = TestJwt.token("r-003", "user");
            assertEquals(
                    202,
                    http.postJson(
                                    "/v1/sessions",
                                    token,
                                    IngestEndToEndTest.session(UUID.randomUUID().toString(), "r-003", ""))
                            .status());
            List<Oracle.S> more = new ArrayList<>(journal.sessions);
            more.add(new Oracle.S(
                    "x",
                    "r-003",
                    "tennis-ball",
                    java.time.Instant.parse("2026-11-20T18:30:00Z"),
                    10,
                    7,
                    4,
                    null,
                    null,
                    null));
            AnalyticsEndToEndTest.assertPopulation(
                    new Oracle(more, journal.entries),
                    AnalyticsEndToEndTest.awaitPopulation(
                            http, new Oracle(more, journal.entries), Duration.ofSeconds(30)));
        }
    }

    /**
     * A store deleted from disk while the process is down (a lost volume, an operator's mistake) is rebuilt
     * from its changelog with the same answers: the checkpoint left beside it must not make the restore
     * start from where the lost copy had got to.
     */
    @Test
    void aStateStoreDeletedFromDiskIsRebuiltFromKafkaWithTheSameAnswers(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        JournalGenerator journal = new JournalGenerator(30, 3, "r-");
        Map<String, String> before = postAndAnswer(env, journal, 7);
        deleteStores(dataDir, List.of("aggregates", "sessions"));
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            awaitReady(http, "rebuild", PATHS);
            assertEquals(before, answers(http), "the same answers, rebuilt from the changelogs");
        }
    }

    /**
     * Under exactly-once a crash costs the rebuild of every store from its changelog. The rows every event
     * overwrites (a user's contributions) are compacted to their last values while the system runs, so
     * a rebuild reads those, not every value they ever had, and answers the same. The changelogs of one
     * row per event keep Kafka's segment size: compacting them would free nothing. A changelog an earlier
     * version made (Streams sets configs only on the changelogs it creates) gets the segment size at start.
     */
    @Test
    void rowsOverwrittenByEveryEventAreCompactedAndARebuildFromThemAnswersTheSame(@TempDir Path dataDir)
            throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        String user = "c-001";
        String token = TestJwt.token(user, "user");
        String contributions = io.painjournal.analytics.AnalyticsRole.APPLICATION_ID + "-"
                + io.painjournal.analytics.topology.AnalyticsTopology.CONTRIBUTIONS_STORE + "-changelog";
        String sessions = io.painjournal.analytics.AnalyticsRole.APPLICATION_ID + "-"
                + io.painjournal.analytics.topology.AnalyticsTopology.SESSIONS_STORE + "-changelog";
        int batches = 10;
        String before;
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            for (int b = 0; b < batches; b++) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 1000; i++) {
                    batch.append(i == 0 ? "" : ",")
                            .append(IngestEndToEndTest.withType(
                                    "session",
                                    IngestEndToEndTest.session(UUID.randomUUID().toString(), user, "")));
                }
                TestHttp.Response r =
                        http.postJson("/v1/events", token, batch.append(']').toString());
                assertEquals(200, r.status(), r.body());
            }
            String path = "/v1/users/" + user + "/techniques";
            TestApps.await("the user's " + batches * 1000 + " sessions counted", Duration.ofSeconds(60), () -> {
                TestHttp.Response r = http.get(path, token);
                return r.status() == 200
                        && r.json().get("techniques").size() == 1
                        && r.json().get("techniques").get(0).get("sessions").asLong() == batches * 1000L;
            });
            before = withoutAsOf(http.get(path, token));

            long[] seen = new long[2];
            try {
                TestApps.await(
                        "the contributions changelog compacted to far fewer records than were written",
                        Duration.ofSeconds(60),
                        () -> {
                            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records =
                                    TestApps.readTopic(app.bootstrapServers(), contributions);
                            seen[0] = records.size();
                            seen[1] = records.stream()
                                    .mapToLong(org.apache.kafka.clients.consumer.ConsumerRecord::offset)
                                    .max()
                                    .orElse(0);
                            // each session rewrites a few rows of the user: ~3 records per session written
                            return seen[1] >= batches * 1000L && seen[0] * 2 < seen[1];
                        });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + seen[0] + " records up to offset " + seen[1], e);
            }
            try (org.apache.kafka.clients.admin.Admin admin =
                    org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", app.bootstrapServers()))) {
                assertEquals(Integer.toString(1 << 30), segmentBytes(admin, sessions), "one row per event: Kafka's");
                // as a version before this one left it: a changelog Streams made has its configs for good
                var resource = new org.apache.kafka.common.config.ConfigResource(
                        org.apache.kafka.common.config.ConfigResource.Type.TOPIC, contributions);
                admin.incrementalAlterConfigs(Map.of(
                                resource,
                                List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                        new org.apache.kafka.clients.admin.ConfigEntry(
                                                org.apache.kafka.common.config.TopicConfig.SEGMENT_BYTES_CONFIG,
                                                Integer.toString(1 << 30)),
                                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
                // the broker applies a config change from the metadata log: its answer may lag the change
                TestApps.await(
                        "the old segment size set back",
                        Duration.ofSeconds(30),
                        () -> Integer.toString(1 << 30).equals(segmentBytesNow(admin, contributions)));
            }
        }
        deleteStores(dataDir, List.of("contributions"));
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            awaitReady(http, "rebuild", List.of("/v1/users/" + user + "/techniques"));
            assertEquals(before, withoutAsOf(http.get("/v1/users/" + user + "/techniques", token)));
            try (org.apache.kafka.clients.admin.Admin admin =
                    org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", app.bootstrapServers()))) {
                String expected =
                        Integer.toString(io.painjournal.analytics.topology.AnalyticsTopology.OVERWRITTEN_SEGMENT_BYTES);
                TestApps.await(
                        "the changelog an earlier version made given this version's segment size at start",
                        Duration.ofSeconds(30),
                        () -> expected.equals(segmentBytesNow(admin, contributions)),
                        () -> "(it has " + segmentBytesNow(admin, contributions) + ")");
            }
        }
    }

    /** {@link #segmentBytes}, for a condition polled. */
    private static String segmentBytesNow(org.apache.kafka.clients.admin.Admin admin, String topic) {
        try {
            return segmentBytes(admin, topic);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String segmentBytes(org.apache.kafka.clients.admin.Admin admin, String topic) throws Exception {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource))
                .all()
                .get()
                .get(resource)
                .get(org.apache.kafka.common.config.TopicConfig.SEGMENT_BYTES_CONFIG)
                .value();
    }

    /**
     * Ready, and answering: a task's stores may still be restoring when Streams says RUNNING (its state
     * updater restores beside the running threads), and meanwhile an answer is a 503 with Retry-After.
     */
    private static void awaitReady(TestHttp http, String after, List<String> paths) {
        TestApps.await(
                "analytics ready and answering after the " + after,
                Duration.ofSeconds(60),
                () -> http.get("/health/ready", null).status() == 200
                        && java.util.stream.Stream.concat(
                                        PATHS.stream(), java.util.stream.Stream.of("/v1/users/c-001/techniques"))
                                .allMatch(path -> http.get(path, AnalyticsEndToEndTest.ADMIN)
                                                .status()
                                        != 503));
    }

    private static String withoutAsOf(TestHttp.Response r) {
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        ((ObjectNode) body).remove("asOf");
        return body.toString();
    }

    private static void deleteStores(Path dataDir, List<String> stores) throws java.io.IOException {
        List<Path> deleted = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dataDir.resolve("streams"))) {
            files.filter(p -> p.getParent() != null
                            && p.getParent().getFileName().toString().equals("rocksdb")
                            && stores.contains(p.getFileName().toString()))
                    .forEach(deleted::add);
        }
        assertTrue(
                deleted.stream().map(p -> p.getFileName().toString()).distinct().count() == stores.size(),
                "the stores were on disk: " + deleted);
        for (Path store : deleted) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(store)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aSecondProcessOnTheSameDataDirIsRefusedAndTheDirIsFreeAgainAfterTheFirstStops(@TempDir Path dataDir)
            throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        try (Application app = TestApps.start(env)) {
            Map<String, String> second = new java.util.HashMap<>(env);
            second.put("HTTP_PORT", Integer.toString(TestApps.freePort()));
            ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    ConfigException.class, () -> TestApps.start(second).close());
            assertTrue(
                    refused.getMessage().contains("is in use by another pain-journal process"), refused.getMessage());
            TestHttp http = new TestHttp(app.config().httpPort());
            assertEquals(200, http.get("/health/live", null).status(), "the first process is unharmed");
        }
        try (Application again = TestApps.start(env)) {
            assertEquals(
                    200,
                    new TestHttp(again.config().httpPort())
                            .get("/health/live", null)
                            .status());
        }
    }
}
