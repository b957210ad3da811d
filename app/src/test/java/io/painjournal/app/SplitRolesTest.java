package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same artifact split by ROLES: an ingest+analytics process (with the broker), a second analytics
 * instance that takes over some partitions, and an api-only process that reaches them through
 * ANALYTICS_URL. Answers through the api process match the oracle, for users on either instance.
 */
class SplitRolesTest {

    @Test
    void anApiOnlyProcessAnswersFromTwoAnalyticsInstances(@TempDir Path a, @TempDir Path b, @TempDir Path c)
            throws Exception {
        Map<String, String> first = TestApps.env(a);
        first.put("ROLES", "ingest,analytics");
        first.put("ADVERTISED_HOST", "127.0.0.1");
        try (Application ingestAnalytics = TestApps.start(first)) {
            Map<String, String> second = TestApps.env(b);
            second.put("ROLES", "analytics");
            second.put("ADVERTISED_HOST", "127.0.0.1");
            second.put("KAFKA_BOOTSTRAP_SERVERS", ingestAnalytics.bootstrapServers());
            Map<String, String> third = TestApps.env(c);
            third.put("ROLES", "api");
            third.put("KAFKA_BOOTSTRAP_SERVERS", ingestAnalytics.bootstrapServers());
            third.put("ANALYTICS_URL", "http://127.0.0.1:" + ingestAnalytics.config().httpPort());
            try (Application analytics2 = TestApps.start(second); Application api = TestApps.start(third)) {
                TestHttp ingest = new TestHttp(ingestAnalytics.config().httpPort());
                TestHttp http = new TestHttp(api.config().httpPort());
                assertEquals(404, ingest.get("/v1/techniques", AnalyticsEndToEndTest.ADMIN).status(),
                        "the ingest+analytics process does not serve the api");
                assertEquals(401, ingest.get("/internal/v1/instances", null).status(), "internal routes need the token");

                InternalApi internal = new InternalApi(InternalTokens.derive(TestJwt.SECRET));
                String base = "http://127.0.0.1:" + ingestAnalytics.config().httpPort();
                TestApps.await("two analytics instances sharing the partitions", Duration.ofSeconds(60), () ->
                        http.get("/health/ready", null).status() == 200
                                && new TestHttp(analytics2.config().httpPort()).get("/health/ready", null).status() == 200
                                && internal.instances(base).size() == 2);
                String other = "http://127.0.0.1:" + analytics2.config().httpPort();
                assertTrue(internal.instances(base).contains(other), internal.instances(base).toString());

                JournalGenerator journal = new JournalGenerator(40, 21, "s-");
                Oracle oracle = new Oracle(journal.sessions, journal.entries);
                AnalyticsEndToEndTest.postShuffledWithRepeats(ingest, journal, new Random(2));
                JsonNode population = AnalyticsEndToEndTest.awaitPopulation(http, oracle, Duration.ofSeconds(60));
                AnalyticsEndToEndTest.assertPopulation(oracle, population);

                for (int u = 0; u < 40; u += 3) { // users on both instances
                    String user = String.format("s-%03d", u);
                    TestHttp.Response r = http.get("/v1/users/" + user + "/techniques", TestJwt.token(user, "user"));
                    assertEquals(200, r.status(), r.body());
                    assertEquals(oracle.personal(user).size(), r.json().get("techniques").size(), user);
                    long sessions = 0;
                    for (JsonNode t : r.json().get("techniques")) {
                        sessions += t.get("sessions").asLong();
                    }
                    final String id = user;
                    assertEquals(oracle.sessions.stream().filter(s -> s.user().equals(id)).count(), sessions, user);
                }
                long onSecond = internal.aggregates(other).page("", "~", null, 5000).size();
                assertTrue(onSecond > 0, "the second instance hosts some of the aggregates");
                String csv = http.get("/v1/research/trends", AnalyticsEndToEndTest.RESEARCHER).body();
                assertEquals(oracle.research().size() + 1, csv.split("\n").length);
                assertTrue(csv.startsWith("technique,cohort,weekStart,"));
            }
        }
    }
}
