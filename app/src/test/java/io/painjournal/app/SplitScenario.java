package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The deployment of docker-compose.yml in one JVM: an ingest process, two analytics instances and an
 * api process, each started from the same artifact with its own ROLES, on one Kafka (a real cluster, or
 * the embedded broker the ingest process starts when none is given). The journal scenario runs through
 * it: posted to ingest, answered by api from both analytics instances, matching the oracle; then one
 * analytics instance stops and the api, told of both, still answers the same from the other.
 */
final class SplitScenario {

    private SplitScenario() {}

    static void run(Optional<String> kafka, Path ingestDir, Path analyticsDir1, Path analyticsDir2, Path apiDir)
            throws Exception {
        Map<String, String> ingestEnv = TestApps.env(ingestDir);
        ingestEnv.put("ROLES", "ingest");
        kafka.ifPresent(k -> ingestEnv.put("KAFKA_BOOTSTRAP_SERVERS", k));
        try (Application ingest = TestApps.start(ingestEnv)) {
            String bootstrap = ingest.bootstrapServers();
            Application analytics1 = TestApps.start(analyticsEnv(analyticsDir1, bootstrap));
            try (Application analytics2 = TestApps.start(analyticsEnv(analyticsDir2, bootstrap))) {
                String first = "http://127.0.0.1:" + analytics1.config().httpPort();
                String second = "http://127.0.0.1:" + analytics2.config().httpPort();
                Map<String, String> apiEnv = TestApps.env(apiDir);
                apiEnv.put("ROLES", "api");
                apiEnv.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
                // As in docker-compose.yml: every analytics instance, the first that answers is asked.
                apiEnv.put("ANALYTICS_URL", first + "," + second);
                try (Application api = TestApps.start(apiEnv)) {
                    runScenario(ingest, analytics1, analytics2, api, first, second);
                }
            } finally {
                analytics1.close();
            }
        }
    }

    private static Map<String, String> analyticsEnv(Path dir, String bootstrap) {
        Map<String, String> env = TestApps.env(dir);
        env.put("ROLES", "analytics");
        env.put("ADVERTISED_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        return env;
    }

    private static void runScenario(
            Application ingestApp,
            Application analytics1,
            Application analytics2,
            Application apiApp,
            String first,
            String second)
            throws Exception {
        TestHttp ingest = new TestHttp(ingestApp.config().httpPort());
        TestHttp api = new TestHttp(apiApp.config().httpPort());
        TestHttp analytics = new TestHttp(analytics1.config().httpPort());
        assertEquals(
                404,
                ingest.get("/v1/techniques", AnalyticsEndToEndTest.ADMIN).status(),
                "the ingest process does not serve the api");
        assertEquals(
                404,
                analytics
                        .postJson("/v1/sessions", AnalyticsEndToEndTest.ADMIN, "{}")
                        .status(),
                "an analytics process does not take events");
        assertEquals(
                404,
                api.postJson("/v1/sessions", AnalyticsEndToEndTest.ADMIN, "{}").status(),
                "the api process does not take events");
        assertEquals(401, analytics.get("/internal/v1/instances", null).status(), "internal routes need the token");
        assertTrue(ingest.get("/metrics", null).body().contains("service=\"ingest\""));
        assertTrue(api.get("/metrics", null).body().contains("service=\"api\""));

        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            runScenario(vertx, ingestApp, analytics1, apiApp, first, second, ingest, api, analytics2);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static void runScenario(
            io.vertx.core.Vertx vertx,
            Application ingestApp,
            Application analytics1,
            Application apiApp,
            String first,
            String second,
            TestHttp ingest,
            TestHttp api,
            Application analytics2)
            throws Exception {
        InternalApi internal = new InternalApi(vertx, InternalTokens.derive(TestJwt.SECRET));
        TestApps.await(
                "two analytics instances sharing the partitions",
                Duration.ofSeconds(90),
                () -> api.get("/health/ready", null).status() == 200
                        && new TestHttp(analytics2.config().httpPort())
                                        .get("/health/ready", null)
                                        .status()
                                == 200
                        && internal.instances(first).await().size() == 2);
        List<String> instances = internal.instances(first).await(10, TimeUnit.SECONDS);
        assertTrue(instances.contains(second), instances.toString());

        JournalGenerator journal = new JournalGenerator(40, 21, "s-");
        Oracle oracle = new Oracle(journal.sessions, journal.entries);
        AnalyticsEndToEndTest.postShuffledWithRepeats(ingest, journal, new Random(2));
        Map<String, String> trials = startTrials(ingest);
        AnalyticsEndToEndTest.assertPopulation(
                oracle, AnalyticsEndToEndTest.awaitPopulation(api, oracle, Duration.ofSeconds(60)));
        assertPersonal(api, oracle);
        Map<String, JsonNode> trialAnswers = trialAnswers(api, trials);
        assertTrue(
                internal.aggregates(second)
                                .page("", "~", null, 5000)
                                .await(10, TimeUnit.SECONDS)
                                .size()
                        > 0,
                "the second instance hosts some of the aggregates");
        String csv =
                api.get("/v1/research/trends", AnalyticsEndToEndTest.RESEARCHER).body();
        assertEquals(oracle.research().size() + 1, csv.split("\n").length);
        assertTrue(csv.startsWith("technique,cohort,weekStart,"));

        // The cohort comparison adds up both instances' shares of each arm (api-only: over the internal route)
        String cohorts = "/v1/research/cohorts?a=arm-a&b=arm-b&days=84&minUsers=2";
        JsonNode comparison =
                withoutAsOf(api.get(cohorts, AnalyticsEndToEndTest.RESEARCHER).json());
        assertEquals(
                journal.sessions.stream()
                        .filter(x -> "arm-a".equals(x.cohort()))
                        .map(Oracle.S::user)
                        .distinct()
                        .count(),
                comparison.at("/a/users").asLong(),
                comparison.toString());
        TestHttp.Response dp = api.get(cohorts + "&privacy=dp", AnalyticsEndToEndTest.RESEARCHER);
        assertEquals(200, dp.status(), dp.body());
        assertEquals(4.5, dp.json().at("/privacy/epsilonLeft").asDouble(), 1e-9);

        // A user's export through the api-only process, from whichever instance hosts them: each event once
        for (String user : List.of("s-000", "s-001", "s-002")) {
            long expected =
                    journal.sessions.stream().filter(x -> x.user().equals(user)).count()
                            + journal.entries.stream()
                                    .filter(x -> x.user().equals(user))
                                    .count();
            String export = api.get("/v1/users/" + user + "/export", TestJwt.token(user, "user"))
                    .body();
            long trialLines =
                    export.lines().filter(l -> l.contains("\"type\":\"trial")).count();
            assertEquals(expected, export.lines().count() - trialLines, user + ": " + export);
        }

        // One analytics instance goes away: its partitions move to the other, restored from the changelogs,
        // and the api (which lists both) answers the same from the one left.
        analytics1.close();
        AnalyticsEndToEndTest.assertPopulation(
                oracle, AnalyticsEndToEndTest.awaitPopulation(api, oracle, Duration.ofSeconds(90)));
        assertPersonal(api, oracle);
        assertEquals(trialAnswers, trialAnswers(api, trials), "the same trials from the instance left");
        TestApps.await(
                "the same comparison from the instance left",
                Duration.ofSeconds(30),
                () -> comparison.equals(withoutAsOf(api.get(cohorts + "&fresh=1", AnalyticsEndToEndTest.RESEARCHER)
                        .json())));
    }

    private static JsonNode withoutAsOf(JsonNode answer) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer).remove("asOf");
        return answer;
    }

    /** A trial for every fourth user, posted to ingest (a past one, so the journal falls into it). */
    private static Map<String, String> startTrials(TestHttp ingest) {
        Map<String, String> trials = new java.util.TreeMap<>();
        for (int u = 0; u < 40; u += 4) {
            String user = String.format("s-%03d", u);
            String trialId = java.util.UUID.randomUUID().toString();
            String body =
                    "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"melt\",\"tennis-ball\"]," + "\"startDate\":\""
                            + java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(40) + "\"}";
            assertEquals(
                    202,
                    ingest.postJson("/v1/users/" + user + "/trials", TestJwt.token(user, "user"), body)
                            .status());
            trials.put(user, trialId);
        }
        return trials;
    }

    /** Each user's trial as the api answers it, from whichever instance hosts the user. */
    private static Map<String, JsonNode> trialAnswers(TestHttp api, Map<String, String> trials) throws Exception {
        Map<String, JsonNode> answers = new java.util.TreeMap<>();
        for (Map.Entry<String, String> t : trials.entrySet()) {
            String path = "/v1/users/" + t.getKey() + "/trials/" + t.getValue();
            String token = TestJwt.token(t.getKey(), "user");
            TestApps.await(
                    t.getKey() + "'s trial",
                    Duration.ofSeconds(60),
                    () -> api.get(path, token).status() == 200);
            answers.put(t.getKey(), api.get(path, token).json());
        }
        return answers;
    }

    /** Users hosted by either instance get their own answers. */
    private static void assertPersonal(TestHttp api, Oracle oracle) {
        for (int u = 0; u < 40; u += 3) {
            String user = String.format("s-%03d", u);
            TestHttp.Response r = api.get("/v1/users/" + user + "/techniques", TestJwt.token(user, "user"));
            assertEquals(200, r.status(), r.body());
            assertEquals(
                    oracle.personal(user).size(), r.json().get("techniques").size(), user);
            long sessions = 0;
            for (JsonNode t : r.json().get("techniques")) {
                sessions += t.get("sessions").asLong();
            }
            assertEquals(
                    oracle.sessions.stream().filter(s -> s.user().equals(user)).count(), sessions, user);
        }
    }
}
