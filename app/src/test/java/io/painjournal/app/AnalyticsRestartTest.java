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
            TestApps.await(
                    "analytics ready after the restart",
                    Duration.ofSeconds(60),
                    () -> http.get("/health/ready", null).status() == 200);
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
        List<Path> deleted = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dataDir.resolve("streams"))) {
            files.filter(p -> p.getParent() != null
                            && p.getParent().getFileName().toString().equals("rocksdb")
                            && List.of("aggregates", "sessions")
                                    .contains(p.getFileName().toString()))
                    .forEach(deleted::add);
        }
        assertTrue(deleted.size() >= 2, "the stores were on disk: " + deleted);
        for (Path store : deleted) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(store)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            TestApps.await(
                    "analytics ready after the rebuild",
                    Duration.ofSeconds(60),
                    () -> http.get("/health/ready", null).status() == 200);
            assertEquals(before, answers(http), "the same answers, rebuilt from the changelogs");
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
