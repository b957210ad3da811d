package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A personal trial through the whole product over HTTP: created in the past, followed by a journal with a
 * planted effect and noise, posted in shuffled offline batches; every field of the answer checked against
 * an oracle written here from the contract's words (API.md section 5), not from the product's code. Then
 * the calendar parsed back as iCalendar, cancellation, and the same answer after a restart.
 */
class TrialEndToEndTest {

    private static final String USER = "trial-user";
    private static final String MELT = "melt";
    private static final String BALL = "tennis-ball";
    private static final double MELT_EFFECT = 1.5; // melt helps this user 1.5 points more, on average

    @Test
    void aTrialFollowedWithPlantedEffectsAnswersAsTheOracle(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        String token = TestJwt.token(USER, "user");
        String trialId = UUID.randomUUID().toString();
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(60);
        String request = "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"" + MELT + "\",\"" + BALL + "\"],"
                + "\"startDate\":\"" + start + "\",\"periodDays\":6,\"pairs\":4,\"washoutDays\":2}";
        JsonNode answer;
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            TestHttp.Response bad = http.postJson(
                    "/v1/users/" + USER + "/trials",
                    token,
                    "{\"trialId\":\"x\",\"techniques\":[\"melt\",\"melt\"],\"startDate\":\"2026-02-30\",\"pairs\":1}");
            assertEquals(400, bad.status(), bad.body());
            List<String> fields = new ArrayList<>();
            bad.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
            assertEquals(List.of("trialId", "techniques[1]", "startDate", "pairs"), fields, bad.body());
            assertEquals(
                    403,
                    http.postJson("/v1/users/someone-else/trials", token, request)
                            .status(),
                    "only for oneself");

            TestHttp.Response created = http.postJson("/v1/users/" + USER + "/trials", token, request);
            assertEquals(202, created.status(), created.body());
            assertEquals("accepted", created.json().get("status").asText());
            TestHttp.Response again = http.postJson("/v1/users/" + USER + "/trials", token, request);
            assertEquals(200, again.status());
            assertEquals("duplicate", again.json().get("status").asText());

            JsonNode scheduled =
                    await(http, token, trialId, t -> t.get("periods").size() == 8);
            List<String> order = new ArrayList<>();
            scheduled.get("periods").forEach(p -> order.add(p.get("technique").asText()));
            Oracle oracle = new Oracle(start, 6, 4, 2, order);

            List<String> events = oracle.journal(new Random(42));
            Collections.shuffle(events, new Random(7));
            for (int i = 0; i < events.size(); i += 9) { // offline batches, in no order
                String batch = "[" + String.join(",", events.subList(i, Math.min(events.size(), i + 9))) + "]";
                assertEquals(200, http.postJson("/v1/events", token, batch).status());
            }
            answer = await(
                    http,
                    token,
                    trialId,
                    t -> t.get("result").get("pairsComplete").asInt() == oracle.completePairs()
                            && sum(t.get("periods"), "offProtocolSessions") == oracle.offProtocol
                            && sum(t.get("periods"), "onProtocolSessions") == oracle.onProtocol);
            oracle.check(answer);

            JsonNode list = http.get("/v1/users/" + USER + "/trials", token).json();
            assertEquals(USER, list.get("userId").asText());
            assertEquals(1, list.get("trials").size());
            assertEquals(answer, list.get("trials").get(0), "the list holds the same trial");
            assertEquals(
                    404,
                    http.get("/v1/users/" + USER + "/trials/" + UUID.randomUUID(), token)
                            .status());
            assertEquals(
                    403,
                    http.get("/v1/users/" + USER + "/trials/" + trialId, TestJwt.token("other", "user"))
                            .status());

            TestHttp.Response ics = http.get("/v1/users/" + USER + "/trials/" + trialId + "/calendar.ics", token);
            assertEquals(200, ics.status());
            assertTrue(ics.contentType().startsWith("text/calendar"), ics.contentType());
            Calendar calendar = new CalendarBuilder().build(new StringReader(ics.body()));
            calendar.validate();
            List<VEvent> periods = calendar.getComponents("VEVENT");
            assertEquals(8, periods.size());
            java.util.Set<String> uids = new java.util.HashSet<>();
            for (int p = 0; p < 8; p++) {
                VEvent e = periods.get(p);
                assertEquals(
                        oracle.start(p).toString().replace("-", ""),
                        e.getDateTimeStart().orElseThrow().getValue(),
                        "an all-day event on the period's first day");
                assertEquals(
                        oracle.start(p + 1).toString().replace("-", ""),
                        e.getDateTimeEnd().orElseThrow().getValue());
                assertTrue(
                        e.getSummary()
                                .orElseThrow()
                                .getValue()
                                .contains(order.get(p).equals(MELT) ? "MELT" : "Tennis"),
                        e.getSummary().orElseThrow().getValue());
                assertTrue(e.getDescription().orElseThrow().getValue().contains("first 2 days"), "washout named");
                uids.add(e.getUid().orElseThrow().getValue());
                for (String once : List.of("DTSTAMP", "UID", "DTSTART", "DTEND", "SUMMARY")) {
                    assertEquals(1, e.getProperties(once).size(), once + " exactly once (RFC 5545)");
                }
            }
            assertEquals(8, uids.size(), "one stable UID per period");
            assertEquals(
                    ics.body().lines().filter(l -> l.startsWith("UID:")).toList(),
                    http.get("/v1/users/" + USER + "/trials/" + trialId + "/calendar.ics", token)
                            .body()
                            .lines()
                            .filter(l -> l.startsWith("UID:"))
                            .toList(),
                    "the same UIDs on every fetch, so subscribed calendars update");
        }
        // After a restart the same answer (state restored from the changelogs and the journal).
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            JsonNode restored = await(http, token, trialId, t -> true);
            assertEquals(answer, restored, "the same trial after a restart");
            assertEquals(
                    404,
                    http.delete("/v1/users/" + USER + "/trials/" + UUID.randomUUID(), token)
                            .status());
            assertEquals(
                    202,
                    http.delete("/v1/users/" + USER + "/trials/" + trialId, token)
                            .status());
            JsonNode cancelled =
                    await(http, token, trialId, t -> t.get("status").asText().equals("cancelled"));
            assertEquals(8, cancelled.get("periods").size(), "completed before it was cancelled: nothing dropped");
            assertEquals(answer.get("result"), cancelled.get("result"));
        }
    }

    private static long sum(JsonNode periods, String field) {
        long n = 0;
        for (JsonNode p : periods) {
            n += p.get(field).asLong();
        }
        return n;
    }

    private static JsonNode await(
            TestHttp http, String token, String trialId, java.util.function.Predicate<JsonNode> ready)
            throws InterruptedException {
        JsonNode[] last = new JsonNode[1];
        TestApps.await("the trial's answer", Duration.ofSeconds(60), () -> {
            TestHttp.Response r = http.get("/v1/users/" + USER + "/trials/" + trialId, token);
            if (r.status() != 200) {
                return false;
            }
            last[0] = r.json();
            return ready.test(last[0]);
        });
        return last[0];
    }

    /** The contract's definitions, computed from the journal this test writes. */
    private static final class Oracle {
        final LocalDate startDate;
        final int periodDays;
        final int pairs;
        final int washout;
        final List<String> order;
        /** Per period: the reductions of its on-protocol sessions. */
        final List<List<Integer>> reductions = new ArrayList<>();

        final Map<String, List<Integer>> journalPain = Map.of(MELT, new ArrayList<>(), BALL, new ArrayList<>());
        int onProtocol;
        int offProtocol;

        Oracle(LocalDate startDate, int periodDays, int pairs, int washout, List<String> order) {
            this.startDate = startDate;
            this.periodDays = periodDays;
            this.pairs = pairs;
            this.washout = washout;
            this.order = order;
        }

        LocalDate start(int p) {
            return startDate.plusDays((long) p * periodDays);
        }

        /**
         * Sessions and entries following the schedule: on-protocol sessions with the planted effect and
         * noise (none at all in period 7, so the last pair is incomplete), sessions in washout and of the
         * other technique (off protocol), journal entries after washout and in washout.
         */
        List<String> journal(Random random) {
            List<String> events = new ArrayList<>();
            for (int p = 0; p < 2 * pairs; p++) {
                String technique = order.get(p);
                String other = technique.equals(MELT) ? BALL : MELT;
                List<Integer> mine = new ArrayList<>();
                reductions.add(mine);
                int count = p == 2 * pairs - 1 ? 0 : 2 + random.nextInt(2);
                for (int i = 0; i < count; i++) {
                    int day = washout + random.nextInt(periodDays - washout);
                    double planted = 2 + (technique.equals(MELT) ? MELT_EFFECT : 0) + random.nextGaussian();
                    int reduction = (int) Math.max(0, Math.min(7, Math.round(planted)));
                    events.add(session(start(p).plusDays(day), 9, 9 - reduction, technique, random));
                    mine.add(reduction);
                    onProtocol++;
                }
                events.add(session(start(p), 8, 2, technique, random)); // in washout
                events.add(session(start(p).plusDays(washout), 8, 2, other, random)); // the other technique
                offProtocol += 2;
                int pain = 2 + random.nextInt(5);
                events.add(entry(start(p).plusDays(washout), pain, random));
                journalPain.get(technique).add(pain);
                events.add(entry(start(p), 9, random)); // in washout: not counted
            }
            return events;
        }

        int completePairs() {
            int n = 0;
            for (int j = 0; j < pairs; j++) {
                if (!reductions.get(2 * j).isEmpty()
                        && !reductions.get(2 * j + 1).isEmpty()) {
                    n++;
                }
            }
            return n;
        }

        void check(JsonNode trial) {
            assertEquals(startDate.toString(), trial.get("startDate").asText());
            assertEquals(
                    List.of(MELT, BALL),
                    List.of(
                            trial.get("techniques").get(0).asText(),
                            trial.get("techniques").get(1).asText()));
            assertEquals("completed", trial.get("status").asText());
            assertFalse(trial.has("today"), "absent unless running");
            for (int p = 0; p < 2 * pairs; p++) {
                JsonNode period = trial.get("periods").get(p);
                assertEquals(p, period.get("index").asInt());
                assertEquals(p / 2, period.get("pair").asInt());
                assertEquals(start(p).toString(), period.get("start").asText());
                assertEquals(start(p + 1).toString(), period.get("end").asText());
                assertEquals(
                        start(p).plusDays(washout).toString(),
                        period.get("washoutEnd").asText());
                assertEquals(
                        reductions.get(p).size(),
                        period.get("onProtocolSessions").asInt());
                assertEquals(2, period.get("offProtocolSessions").asInt());
            }
            for (int j = 0; j < pairs; j++) {
                assertTrue(!order.get(2 * j).equals(order.get(2 * j + 1)), "each pair holds both techniques");
            }
            List<Double> d = new ArrayList<>();
            for (int j = 0; j < pairs; j++) {
                List<Integer> a = reductions.get(2 * j);
                List<Integer> b = reductions.get(2 * j + 1);
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                double meltMinusBall = order.get(2 * j).equals(MELT) ? mean(a) - mean(b) : mean(b) - mean(a);
                d.add(meltMinusBall);
            }
            int n = d.size();
            assertTrue(n >= 2, "the journal completes at least two pairs");
            double mean = d.stream().mapToDouble(x -> x).average().orElseThrow();
            double sd = Math.sqrt(
                    d.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (n - 1));
            TDistribution t = new TDistribution(n - 1);
            double half = t.inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
            JsonNode r = trial.get("result");
            assertEquals(n, r.get("pairsComplete").asInt());
            assertEquals(mean, r.get("meanDifference").asDouble(), 1e-9);
            assertEquals(sd, r.get("sdDifference").asDouble(), 1e-9);
            assertEquals(mean - half, r.get("ci95").get(0).asDouble(), 1e-9);
            assertEquals(mean + half, r.get("ci95").get(1).asDouble(), 1e-9);
            assertEquals(
                    t.cumulativeProbability(mean / (sd / Math.sqrt(n))),
                    r.get("probabilityFirstBetter").asDouble(),
                    1e-9);
            String verdict = mean - half > 0
                    ? "first-better"
                    : mean + half < 0
                            ? "second-better"
                            : mean - half >= -1 && mean + half <= 1 ? "no-difference" : "undecided";
            assertEquals(verdict, r.get("verdict").asText());
            assertTrue(r.get("pooledDifference").isNull(), "one user: no population group of k users to pool with");
            assertEquals(
                    mean(journalPain.get(MELT)),
                    r.get("meanJournalPain").get(MELT).asDouble(),
                    1e-9);
            assertEquals(
                    mean(journalPain.get(BALL)),
                    r.get("meanJournalPain").get(BALL).asDouble(),
                    1e-9);
            assertNotNull(r.get("differences"));
            // one person's trial: no other trials to be its prior, so its posterior is its own N(d, max(sd², 0.25)/n)
            JsonNode posterior = r.get("posterior");
            double v = Math.max(sd * sd, 0.25) / n;
            assertEquals(mean, posterior.get("mean").asDouble(), 1e-9);
            assertEquals(Math.sqrt(v), posterior.get("sd").asDouble(), 1e-9);
            assertEquals(
                    mean - 1.959964 * Math.sqrt(v),
                    posterior.get("credible95").get(0).asDouble(),
                    1e-9);
            assertEquals(0, posterior.get("priorTrials").asInt());
            var z = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
            assertEquals(
                    z.cumulativeProbability(mean / Math.sqrt(v)),
                    posterior.get("probabilityFirstBetter").asDouble(),
                    1e-9);
            assertEquals(
                    z.cumulativeProbability((mean - 1) / Math.sqrt(v)),
                    posterior.get("probabilityFirstBetterByOne").asDouble(),
                    1e-9);
            assertEquals(
                    z.cumulativeProbability((-1 - mean) / Math.sqrt(v)),
                    posterior.get("probabilitySecondBetterByOne").asDouble(),
                    1e-9);
        }

        private static double mean(List<Integer> xs) {
            return xs.stream().mapToInt(Integer::intValue).average().orElseThrow();
        }

        private static String session(LocalDate day, int before, int after, String technique, Random random) {
            String at = day.atStartOfDay(ZoneOffset.UTC)
                    .plusHours(6 + random.nextInt(16))
                    .toInstant()
                    .toString();
            return "{\"type\":\"session\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + USER
                    + "\",\"technique\":\"" + technique + "\",\"startedAt\":\"" + at
                    + "\",\"durationMinutes\":15,\"painBefore\":" + before + ",\"painAfter\":" + after + "}";
        }

        private static String entry(LocalDate day, int pain, Random random) {
            String at = day.atStartOfDay(ZoneOffset.UTC)
                    .plusHours(6 + random.nextInt(16))
                    .toInstant()
                    .toString();
            return "{\"type\":\"pain-score\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + USER
                    + "\",\"recordedAt\":\"" + at + "\",\"pain\":" + pain + "}";
        }
    }
}
