package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/research/cohorts} on the running application: two planted study arms (a MELT arm that helps,
 * a control arm that helps less, with sessions outside the windows, untagged sessions, another cohort and
 * journal entries around the windows) are posted through ingest; the answer matches an oracle written here
 * from the posted events (commons-math3's descriptive statistics and t quantiles). Then {@code privacy=dp}:
 * answers differ from the exact ones, the budget is spent and refused exactly, and it is kept across a restart.
 */
class CohortEndToEndTest {

    private static final String RESEARCHER = TestJwt.token("r-cohorts", "researcher");
    private static final Instant BASE = Instant.parse("2026-08-03T07:00:00Z");
    private static final int DAYS = 28;

    record Sess(String user, String technique, String cohort, Instant at, int before, int after) {}

    record Entry(String user, Instant at, int pain) {}

    private final List<Sess> sessions = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();

    @Test
    void plantedArmsMatchAnOracleAndPrivateAnswersSpendADurableBudget(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("RESEARCH_MIN_USERS", "2");
        env.put("RESEARCH_EPSILON_BUDGET", "1");
        plant(new Random(20261202));
        JsonNode exact;
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            post(http);
            String path = "/v1/research/cohorts?a=melt-arm&b=control&days=" + DAYS;
            Oracle a = oracle("melt-arm", null);
            Oracle b = oracle("control", null);
            // every event counted (users' batches land on different partitions, in no particular order)
            TestApps.await("the answer of the oracle", Duration.ofSeconds(60), () -> {
                TestHttp.Response r = http.get(path + "&fresh=" + System.nanoTime(), RESEARCHER);
                try {
                    assertArm(a, r.json().get("a"));
                    assertArm(b, r.json().get("b"));
                    return true;
                } catch (AssertionError | RuntimeException e) {
                    return false;
                }
            });
            exact = http.get(path, RESEARCHER).json();
            assertArm(a, exact.get("a"));
            assertArm(b, exact.get("b"));
            assertComparison(a, b, exact);
            assertTrue(exact.get("privacy").isNull());

            // one technique: the control arm has no melt sessions, so it is suppressed, and every figure between arms
            JsonNode melt = http.get(path + "&technique=melt", RESEARCHER).json();
            assertEquals(
                    melt.get("a").get("users").asLong(),
                    oracle("melt-arm", "melt").users.getN());
            assertTrue(melt.get("b").get("suppressed").asBoolean(), melt.toString());
            assertTrue(melt.get("b").get("users").isNull());
            assertTrue(melt.get("difference").isNull());
            assertTrue(melt.get("hedgesG").isNull());
            // k raised above the smaller arm
            JsonNode highK = http.get(path + "&minUsers=" + (b.users.getN() + 1), RESEARCHER)
                    .json();
            assertTrue(highK.get("b").get("suppressed").asBoolean());
            assertTrue(highK.get("differenceCi95").isNull());

            TestHttp.Response dp = http.get(path + "&privacy=dp&epsilon=0.5", RESEARCHER);
            assertEquals(200, dp.status(), dp.body());
            assertEquals(0.5, dp.json().at("/privacy/epsilonSpent").asDouble(), 1e-9);
            assertEquals(0.5, dp.json().at("/privacy/epsilonLeft").asDouble(), 1e-9);
            assertEquals("discrete-laplace", dp.json().at("/privacy/mechanism").asText());
            assertNotEquals(exact.get("a"), dp.json().get("a"), "noise: " + dp.body());

            TestHttp.Response over = http.get(path + "&privacy=dp&epsilon=0.6", RESEARCHER);
            assertEquals(429, over.status(), over.body());
            TestHttp.Response export = http.get(
                    "/v1/research/trends?privacy=dp&epsilon=0.5&cohort=melt-arm&from=2026-08-03&to=2026-10-25"
                            + "&format=ndjson",
                    RESEARCHER);
            assertEquals(200, export.status(), export.body());
            assertEquals(
                    "0.5", export.headers().firstValue("Privacy-Epsilon-Spent").orElse(""));
            assertEquals(
                    0.0,
                    Double.parseDouble(
                            export.headers().firstValue("Privacy-Epsilon-Left").orElse("")),
                    1e-9,
                    "0.6 was refused and spent nothing: 0.5 + 0.5 is the whole budget");
            assertEquals(11 * 12, export.body().split("\n").length, "every technique × week of the grid");
        }
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String path = "/v1/research/cohorts?a=melt-arm&b=control&days=" + DAYS;
            TestApps.await(
                    "the restarted api answers",
                    Duration.ofSeconds(60),
                    () -> http.get(path, RESEARCHER).status() == 200);
            TestHttp.Response spent = http.get(path + "&privacy=dp&epsilon=0.01", RESEARCHER);
            assertEquals(429, spent.status(), "the budget spent before the restart is still spent: " + spent.body());
            assertEquals(
                    200,
                    http.get(path + "&privacy=dp&epsilon=1", TestJwt.token("r-other", "researcher"))
                            .status());
            assertEquals(
                    exact.get("a"), http.get(path, RESEARCHER).json().get("a"), "the exact answer is rebuilt the same");
        }
    }

    /** Nine users in the MELT arm, eight in control; reductions around 3 and 1; pain falling faster in the MELT arm. */
    private void plant(Random random) {
        for (int u = 0; u < 17; u++) {
            boolean melt = u < 9;
            String user = (melt ? "melt-" : "ctrl-") + u;
            String cohort = melt ? "melt-arm" : "control";
            Instant first = BASE.plus(Duration.ofHours(random.nextInt(20 * 24)));
            int n = 2 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                Instant at = i == 0 ? first : first.plus(Duration.ofMinutes(random.nextInt(40 * 24 * 60)));
                String technique = melt ? "melt" : (random.nextBoolean() ? "tennis-ball" : "trigger-point-platform");
                int before = 4 + random.nextInt(6);
                int reduction = Math.max(-2, Math.min(before, (melt ? 3 : 1) + random.nextInt(5) - 2));
                sessions.add(new Sess(user, technique, cohort, at, before, before - reduction));
            }
            // noise around the arms: untagged sessions, another cohort, a session before the first tagged one
            sessions.add(new Sess(user, "shiatsu", null, first.plus(Duration.ofDays(3)), 8, 0));
            sessions.add(new Sess(user, "thai", "other", first.plus(Duration.ofDays(5)), 8, 8));
            sessions.add(new Sess(user, "melt", null, first.minus(Duration.ofDays(2)), 9, 0));
            for (int d = -10; d < 35; d++) {
                if (random.nextInt(10) < 6 || u == 16) { // the last user has no entries before the window
                    if (u == 16 && d < 0) {
                        continue;
                    }
                    int pain = Math.max(
                            0, Math.min(10, 7 - (d > 0 ? d * (melt ? 3 : 1) / 14 : 0) + random.nextInt(3) - 1));
                    entries.add(new Entry(user, first.plus(Duration.ofHours(d * 24L + random.nextInt(24))), pain));
                }
            }
        }
    }

    private void post(TestHttp http) {
        Map<String, List<String>> byUser = new HashMap<>();
        for (Sess s : sessions) {
            byUser.computeIfAbsent(s.user, u -> new ArrayList<>())
                    .add("{\"type\":\"session\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + s.user
                            + "\",\"technique\":\"" + s.technique + "\",\"startedAt\":\"" + s.at
                            + "\",\"durationMinutes\":15,\"painBefore\":" + s.before + ",\"painAfter\":" + s.after
                            + (s.cohort == null ? "" : ",\"cohort\":\"" + s.cohort + "\"") + "}");
        }
        for (Entry e : entries) {
            byUser.computeIfAbsent(e.user, u -> new ArrayList<>())
                    .add("{\"type\":\"pain-score\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + e.user
                            + "\",\"recordedAt\":\"" + e.at + "\",\"pain\":" + e.pain + "}");
        }
        byUser.forEach((user, events) -> {
            TestHttp.Response r =
                    http.postJson("/v1/events", TestJwt.token(user, "user"), "[" + String.join(",", events) + "]");
            assertEquals(200, r.status(), r.body());
            assertTrue(!r.body().contains("rejected"), r.body());
        });
    }

    /** An arm computed from the planted events, straight from the contract's definitions. */
    private static final class Oracle {
        final DescriptiveStatistics users = new DescriptiveStatistics();
        final DescriptiveStatistics pain = new DescriptiveStatistics();
        long sessions;
    }

    private Oracle oracle(String cohort, String technique) {
        Map<String, List<Sess>> arm = new HashMap<>();
        for (Sess s : sessions) {
            if (cohort.equals(s.cohort) && (technique == null || technique.equals(s.technique))) {
                arm.computeIfAbsent(s.user, u -> new ArrayList<>()).add(s);
            }
        }
        Oracle o = new Oracle();
        arm.forEach((user, own) -> {
            Instant first = own.stream().map(Sess::at).min(Instant::compareTo).orElseThrow();
            Instant end = first.plus(Duration.ofDays(DAYS));
            DescriptiveStatistics reductions = new DescriptiveStatistics();
            own.stream()
                    .filter(s -> !s.at.isBefore(first) && s.at.isBefore(end))
                    .forEach(s -> reductions.addValue(s.before - s.after));
            o.sessions += reductions.getN();
            o.users.addValue(reductions.getMean());
            DescriptiveStatistics before = new DescriptiveStatistics();
            DescriptiveStatistics last = new DescriptiveStatistics();
            for (Entry e : entries) {
                if (!e.user.equals(user)) {
                    continue;
                }
                if (!e.at.isBefore(first.minus(Duration.ofDays(7))) && e.at.isBefore(first)) {
                    before.addValue(e.pain);
                }
                if (!e.at.isBefore(end.minus(Duration.ofDays(7))) && e.at.isBefore(end)) {
                    last.addValue(e.pain);
                }
            }
            if (before.getN() > 0 && last.getN() > 0) {
                o.pain.addValue(last.getMean() - before.getMean());
            }
        });
        return o;
    }

    private static void assertArm(Oracle o, JsonNode arm) {
        assertEquals(false, arm.get("suppressed").asBoolean());
        assertEquals(o.users.getN(), arm.get("users").asLong());
        assertEquals(o.sessions, arm.get("sessions").asLong());
        assertEquals(o.users.getMean(), arm.get("meanReduction").asDouble(), 1e-9);
        assertEquals(o.users.getStandardDeviation(), arm.get("sdReduction").asDouble(), 1e-9);
        assertInterval(tInterval(o.users), arm.get("ci95"));
        assertEquals(o.pain.getN(), arm.get("painChangeUsers").asLong());
        assertEquals(o.pain.getMean(), arm.get("painChange").asDouble(), 1e-9);
        assertEquals(o.pain.getStandardDeviation(), arm.get("painChangeSd").asDouble(), 1e-9);
        assertInterval(tInterval(o.pain), arm.get("painChangeCi95"));
    }

    private static void assertComparison(Oracle a, Oracle b, JsonNode c) {
        assertEquals(a.users.getMean() - b.users.getMean(), c.get("difference").asDouble(), 1e-9);
        assertInterval(welch(a.users, b.users), c.get("differenceCi95"));
        double na = a.users.getN();
        double nb = b.users.getN();
        double pooled =
                Math.sqrt(((na - 1) * a.users.getVariance() + (nb - 1) * b.users.getVariance()) / (na + nb - 2));
        double g = (a.users.getMean() - b.users.getMean()) / pooled * (1 - 3 / (4 * (na + nb) - 9));
        assertEquals(g, c.get("hedgesG").asDouble(), 1e-9);
        assertTrue(g > 0.5, "the planted effect is visible: g = " + g);
        assertEquals(
                a.pain.getMean() - b.pain.getMean(),
                c.get("painChangeDifference").asDouble(),
                1e-9);
        assertInterval(welch(a.pain, b.pain), c.get("painChangeDifferenceCi95"));
    }

    private static double[] tInterval(DescriptiveStatistics s) {
        double half = new TDistribution(s.getN() - 1).inverseCumulativeProbability(0.975)
                * s.getStandardDeviation()
                / Math.sqrt(s.getN());
        return new double[] {s.getMean() - half, s.getMean() + half};
    }

    private static double[] welch(DescriptiveStatistics a, DescriptiveStatistics b) {
        double va = a.getVariance() / a.getN();
        double vb = b.getVariance() / b.getN();
        double df = (va + vb) * (va + vb) / (va * va / (a.getN() - 1) + vb * vb / (b.getN() - 1));
        double half = new TDistribution(df).inverseCumulativeProbability(0.975) * Math.sqrt(va + vb);
        double d = a.getMean() - b.getMean();
        return new double[] {d - half, d + half};
    }

    private static void assertInterval(double[] expected, JsonNode actual) {
        assertEquals(expected[0], actual.get(0).asDouble(), 1e-9, "low");
        assertEquals(expected[1], actual.get(1).asDouble(), 1e-9, "high");
    }
}
