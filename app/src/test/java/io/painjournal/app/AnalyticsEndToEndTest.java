package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * 120 made-up users posted through HTTP (shuffled batches, with re-posts) on the embedded broker;
 * every answer of section 4 is checked against {@link Oracle}, computed independently in the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsEndToEndTest {

    static final double EPS = 1e-6;
    static final String ADMIN = TestJwt.token("ops", "admin");
    static final String RESEARCHER = TestJwt.token("r-1", "researcher");

    private JournalGenerator journal;
    private Oracle oracle;

    /** An application of its own: the population answers are checked exactly, so no other test's users. */
    private Application app;

    private TestHttp http;

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeAll
    void postJournal(@TempDir Path dataDir) throws Exception {
        app = TestApps.start(TestApps.env(dataDir));
        http = new TestHttp(app.config().httpPort());
        journal = new JournalGenerator(120, 7, "p-");
        oracle = new Oracle(journal.sessions, journal.entries);
        postShuffledWithRepeats(http, journal, new Random(11));
        awaitPopulation(http, oracle, Duration.ofSeconds(60));
    }

    static void postShuffledWithRepeats(TestHttp http, JournalGenerator journal, Random rnd) {
        List<String> events = new ArrayList<>(journal.json);
        for (int i = 0; i < 40; i++) {
            events.add(journal.json.get(rnd.nextInt(journal.json.size())));
        }
        Collections.shuffle(events, rnd);
        int accepted = 0;
        int duplicates = 0;
        for (int from = 0; from < events.size(); from += 400) {
            String batch = "[" + String.join(",", events.subList(from, Math.min(events.size(), from + 400))) + "]";
            TestHttp.Response r = http.postJson("/v1/events", ADMIN, batch);
            assertEquals(200, r.status(), r.body());
            for (JsonNode result : r.json().get("results")) {
                switch (result.get("status").asText()) {
                    case "accepted" -> accepted++;
                    case "duplicate" -> duplicates++;
                    default -> throw new AssertionError("rejected: " + result);
                }
            }
        }
        assertEquals(journal.json.size(), accepted);
        assertEquals(40, duplicates);
    }

    /** Polls until the population answer has every session and follow-up, then returns it. */
    static JsonNode awaitPopulation(TestHttp http, Oracle oracle, Duration timeout) throws InterruptedException {
        // the items of at least k = 5 users are shown (TestApps' RESEARCH_MIN_USERS is the default)
        long sessions = oracle.population().values().stream()
                .filter(t -> t.users() >= 5)
                .mapToLong(Oracle.Technique::sessions)
                .sum();
        long followUps = oracle.population().values().stream()
                .filter(t -> t.users() >= 5)
                .mapToLong(Oracle.Technique::followUps)
                .sum();
        JsonNode[] last = new JsonNode[1];
        TestApps.await("all " + sessions + " sessions and " + followUps + " follow-ups to be counted", timeout, () -> {
            TestHttp.Response r = http.get("/v1/techniques", ADMIN);
            if (r.status() != 200) {
                return false;
            }
            last[0] = r.json();
            long s = 0;
            long f = 0;
            for (JsonNode t : last[0].get("techniques")) {
                if (!t.get("suppressed").asBoolean()) {
                    s += t.get("sessions").asLong();
                    f += t.get("followUps").asLong();
                }
            }
            return s == sessions && f == followUps;
        });
        return last[0];
    }

    private static java.util.Set<String> fieldNames(JsonNode object) {
        java.util.Set<String> names = new java.util.HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every field of a posterior (API.md section 7); P(best) to the contract's 0.002. */
    static void assertPosterior(Oracle.Posterior expected, JsonNode actual) {
        if (expected == null) {
            assertTrue(actual.isNull(), "no model, no posterior: " + actual);
            return;
        }
        assertNumber(expected.mean(), actual.get("mean"), "posterior mean");
        assertNumber(expected.sd(), actual.get("sd"), "posterior sd");
        assertInterval(new double[] {expected.low(), expected.high()}, actual.get("credible95"), "credible95");
        assertNumber(expected.priorSessions(), actual.get("priorSessions"), "priorSessions");
        assertNumber(expected.meaningful(), actual.get("probabilityMeaningful"), "probabilityMeaningful");
        assertEquals(expected.best(), actual.get("probabilityBest").asDouble(), 0.002, "probabilityBest");
    }

    static void assertNumber(Double expected, JsonNode actual, String what) {
        if (expected == null) {
            assertTrue(actual == null || actual.isNull(), what + ": expected null, was " + actual);
        } else {
            assertTrue(actual != null && actual.isNumber(), what + ": expected " + expected + ", was " + actual);
            assertEquals(expected, actual.asDouble(), EPS, what);
        }
    }

    static void assertInterval(double[] expected, JsonNode actual, String what) {
        if (expected == null) {
            assertTrue(actual == null || actual.isNull(), what + ": expected null, was " + actual);
        } else {
            assertEquals(expected[0], actual.get(0).asDouble(), EPS, what + " low");
            assertEquals(expected[1], actual.get(1).asDouble(), EPS, what + " high");
        }
    }

    static void assertPopulation(Oracle oracle, JsonNode answer) {
        Map<String, Oracle.Technique> expected = oracle.population();
        JsonNode items = answer.get("techniques");
        assertEquals(expected.size(), items.size(), "one item per technique with sessions");
        // shown items by mean reduction, highest first; then those of fewer than k = 5 users, by id
        List<String> order = new ArrayList<>(expected.values().stream()
                .filter(t -> t.users() >= 5)
                .sorted(Comparator.comparingDouble(Oracle.Technique::mean).reversed())
                .map(Oracle.Technique::technique)
                .toList());
        expected.values().stream()
                .filter(t -> t.users() < 5)
                .map(Oracle.Technique::technique)
                .sorted()
                .forEach(order::add);
        List<String> actualOrder = new ArrayList<>();
        for (JsonNode item : items) {
            String t = item.get("technique").asText();
            actualOrder.add(t);
            Oracle.Technique e = expected.get(t);
            assertEquals(e.users() < 5, item.get("suppressed").asBoolean(), t + " suppressed below k");
            if (e.users() < 5) {
                assertTrue(
                        item.get("sessions").isNull()
                                && item.get("meanReduction").isNull(),
                        item.toString());
                continue;
            }
            assertEquals(e.sessions(), item.get("sessions").asLong(), t + " sessions");
            assertEquals(e.users(), item.get("users").asLong(), t + " users");
            assertNumber(e.mean(), item.get("meanReduction"), t + " meanReduction");
            assertNumber(e.sd(), item.get("sdReduction"), t + " sdReduction");
            assertInterval(e.ci(), item.get("ci95"), t + " ci95");
            assertNumber(e.pct(), item.get("meanPercentReduction"), t + " meanPercentReduction");
            assertNumber(e.responders(), item.get("responderRate"), t + " responderRate");
            assertNumber(e.minutes(), item.get("meanDurationMinutes"), t + " meanDurationMinutes");
            assertNumber(e.costPerPoint(), item.get("costPerPointCents"), t + " costPerPointCents");
            JsonNode byCurrency = item.get("costPerPointByCurrency");
            assertEquals(e.costPerPointByCurrency().keySet(), fieldNames(byCurrency), t + " currencies");
            e.costPerPointByCurrency()
                    .forEach((currency, perPoint) ->
                            assertNumber(perPoint, byCurrency.get(currency), t + " costPerPoint in " + currency));
            assertEquals(e.followUps(), item.get("followUps").asLong(), t + " followUps");
            assertNumber(e.lasting(), item.get("meanLastingReduction"), t + " meanLastingReduction");
            Oracle.Model model = oracle.models().get(t);
            assertNumber(model == null ? null : Math.sqrt(model.sigma2()), item.get("withinPersonSd"), t + " σ");
            assertNumber(model == null ? null : Math.sqrt(model.tau2()), item.get("betweenPersonSd"), t + " τ");
        }
        assertEquals(order, actualOrder, "sorted by meanReduction, highest first");
    }

    @Test
    void populationMatchesTheOracle() throws Exception {
        TestHttp.Response r = http.get("/v1/techniques", TestJwt.token("p-001", "user"));
        assertEquals(200, r.status());
        assertTrue(r.json().get("asOf").asText().endsWith("Z"));
        assertPopulation(oracle, r.json());
    }

    @Test
    void techniqueTrendsMatchTheOracle() {
        for (String technique : List.of("melt", "tennis-ball", "thai")) {
            JsonNode weeks = http.get("/v1/techniques/" + technique + "/trend", ADMIN)
                    .json()
                    .get("weeks");
            List<Oracle.Week> expected = oracle.trend(technique);
            assertEquals(expected.size(), weeks.size(), technique);
            int hidden = 0;
            for (int i = 0; i < expected.size(); i++) {
                Oracle.Week e = expected.get(i);
                JsonNode w = weeks.get(i);
                assertEquals(e.weekStart().toString(), w.get("weekStart").asText());
                if (e.users() < 5) {
                    assertTrue(w.get("suppressed").asBoolean(), "primary: " + w);
                }
                if (w.get("suppressed").asBoolean()) { // primary, or complementary (smallest first)
                    hidden++;
                    assertTrue(
                            w.get("sessions").isNull() && w.get("meanReduction").isNull(), w.toString());
                    continue;
                }
                assertEquals(e.sessions(), w.get("sessions").asLong());
                assertEquals(e.users(), w.get("users").asLong());
                assertNumber(e.meanPainBefore(), w.get("meanPainBefore"), "meanPainBefore");
                assertNumber(e.mean(), w.get("meanReduction"), "meanReduction");
                assertNumber(e.responders(), w.get("responderRate"), "responderRate");
            }
            assertTrue(
                    hidden == 0 || hidden >= 2 || hidden == expected.size(),
                    technique + ": a lone hidden week is the item minus the shown ones");
        }
        List<Oracle.Week> melt = oracle.trend("melt");
        LocalDate from = melt.get(melt.size() - 2).weekStart().plusDays(3); // inside the week: included
        JsonNode lastTwo =
                http.get("/v1/techniques/melt/trend?from=" + from, ADMIN).json().get("weeks");
        assertEquals(2, lastTwo.size());
        assertEquals(404, http.get("/v1/techniques/reiki/trend", ADMIN).status());
        assertEquals(
                400, http.get("/v1/techniques/melt/trend?from=yesterday", ADMIN).status());
        assertEquals(
                400,
                http.get("/v1/techniques/melt/trend?from=2026-11-10&to=2026-11-01", ADMIN)
                        .status());
    }

    @Test
    void personalViewsMatchTheOracle() {
        for (String user : List.of("p-000", "p-017", "p-042", "p-099")) {
            TestHttp.Response r = http.get("/v1/users/" + user + "/techniques", TestJwt.token(user, "user"));
            assertEquals(200, r.status(), r.body());
            assertEquals(user, r.json().get("userId").asText());
            Map<String, Oracle.Personal> expected = oracle.personal(user);
            JsonNode items = r.json().get("techniques");
            assertEquals(expected.size(), items.size());
            double previous = Double.MAX_VALUE;
            for (JsonNode item : items) {
                Oracle.Personal e = expected.get(item.get("technique").asText());
                assertEquals(e.sessions(), item.get("sessions").asLong());
                assertNumber(e.mean(), item.get("meanReduction"), "meanReduction");
                assertInterval(e.ci(), item.get("ci95"), "ci95");
                assertNumber(e.estimate(), item.get("estimate"), "estimate");
                assertEquals(e.enough(), item.get("enoughData").asBoolean());
                assertEquals(e.followUps(), item.get("followUps").asLong());
                assertNumber(e.lasting(), item.get("meanLastingReduction"), "meanLastingReduction");
                assertPosterior(e.posterior(), item.get("posterior"));
                assertTrue(item.get("estimate").asDouble() <= previous, "sorted by estimate");
                previous = item.get("estimate").asDouble();
            }
            List<String> untried = oracle.untried(user);
            JsonNode untriedItems = r.json().get("untried");
            assertEquals(untried.size(), untriedItems.size(), untriedItems.toString());
            for (int i = 0; i < untried.size(); i++) {
                assertEquals(
                        untried.get(i), untriedItems.get(i).get("technique").asText(), "by posterior mean");
                assertPosterior(
                        oracle.posteriors(user).get(untried.get(i)),
                        untriedItems.get(i).get("posterior"));
            }
            Oracle.Suggestion suggestion = oracle.suggestion(user);
            JsonNode suggested = r.json().get("suggestion");
            assertEquals(suggestion.technique(), suggested.get("technique").asText());
            assertEquals(suggestion.best(), suggested.get("probabilityBest").asDouble(), 0.002);
            assertEquals(suggestion.reason(), suggested.get("reason").asText());

            JsonNode weeks = http.get("/v1/users/" + user + "/journal", TestJwt.token(user, "user"))
                    .json()
                    .get("weeks");
            List<Oracle.JournalWeek> journalWeeks = oracle.journal(user);
            assertEquals(journalWeeks.size(), weeks.size());
            for (int i = 0; i < weeks.size(); i++) {
                Oracle.JournalWeek e = journalWeeks.get(i);
                JsonNode w = weeks.get(i);
                assertEquals(e.weekStart().toString(), w.get("weekStart").asText());
                assertEquals(e.entries(), w.get("entries").asLong());
                assertNumber(e.pain(), w.get("meanPain"), "meanPain");
                assertNumber(e.sleep(), w.get("meanSleepQuality"), "meanSleepQuality");
                assertNumber(e.stress(), w.get("meanStress"), "meanStress");
                assertNumber(e.mood(), w.get("meanMood"), "meanMood");
                assertNumber(e.anxiety(), w.get("meanAnxiety"), "meanAnxiety");
                assertEquals(e.headacheDays(), w.get("headacheDays").asLong());
            }

            JsonNode trend = http.get("/v1/users/" + user + "/trend?technique=melt", ADMIN)
                    .json();
            assertEquals("melt", trend.get("technique").asText());
            long meltSessions = oracle.sessions.stream()
                    .filter(s -> s.user().equals(user) && s.technique().equals("melt"))
                    .count();
            long counted = 0;
            for (JsonNode w : trend.get("weeks")) {
                counted += w.get("sessions").asLong();
                assertEquals(1, w.get("users").asLong());
            }
            assertEquals(meltSessions, counted);
        }
        assertEquals(
                403,
                http.get("/v1/users/p-001/techniques", TestJwt.token("p-002", "user"))
                        .status());
        assertEquals(403, http.get("/v1/users/p-001/journal", RESEARCHER).status());
        TestHttp.Response stranger = http.get("/v1/users/never-seen/techniques", TestJwt.token("never-seen", "user"));
        assertEquals(200, stranger.status(), "a new user gets an empty answer, not an error");
        assertEquals(0, stranger.json().get("techniques").size());
    }

    @Test
    void researchExportMatchesTheOracleWithSmallGroupsSuppressed() {
        TestHttp.Response csv = http.get("/v1/research/trends?format=csv", RESEARCHER);
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.contentType().startsWith("text/csv"));
        String[] lines = csv.body().split("\n");
        assertEquals(
                "technique,cohort,weekStart,users,sessions,meanPainBefore,meanReduction,sdReduction,"
                        + "responderRate,suppressed",
                lines[0]);
        Map<String, Oracle.Research> expected = oracle.research();
        assertEquals(expected.size(), lines.length - 1, "one row per (technique, cohort, week)");
        int shown = 0;
        Map<String, Integer> hiddenPerWeek = new java.util.HashMap<>();
        Map<String, Integer> rowsPerWeek = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            assertEquals(10, f.length, lines[i]);
            rowsPerWeek.merge(f[0] + "|" + f[2], 1, Integer::sum);
            Oracle.Research e = expected.get(f[0] + "|" + f[1] + "|" + f[2]);
            if (e.users() < 5) {
                assertEquals("true", f[9], "primary: " + lines[i]);
            }
            if (f[9].equals("true")) { // primary, or complementary within its week
                hiddenPerWeek.merge(f[0] + "|" + f[2], 1, Integer::sum);
                for (int c = 3; c <= 8; c++) {
                    assertEquals("", f[c], "suppressed row keeps only its keys: " + lines[i]);
                }
            } else {
                shown++;
                assertEquals("false", f[9]);
                assertEquals(e.users(), Long.parseLong(f[3]));
                assertEquals(e.sessions(), Long.parseLong(f[4]));
                assertEquals(e.meanPainBefore(), Double.parseDouble(f[5]), EPS);
                assertEquals(e.mean(), Double.parseDouble(f[6]), EPS);
                if (e.sd() == null) {
                    assertEquals("", f[7]);
                } else {
                    assertEquals(e.sd(), Double.parseDouble(f[7]), EPS);
                }
                if (e.responders() == null) {
                    assertEquals("", f[8]);
                } else {
                    assertEquals(e.responders(), Double.parseDouble(f[8]), EPS);
                }
            }
        }
        assertTrue(shown > 0, "the journal has rows of at least five users");
        hiddenPerWeek.forEach((week, hidden) -> assertTrue(
                hidden >= 2 || hidden.equals(rowsPerWeek.get(week)),
                week + ": a lone hidden row is the week minus the shown ones"));
        assertFalse(csv.body().contains("p-0"), "no user id anywhere");

        // NDJSON, with a raised k: more rows suppressed, numbers null
        TestHttp.Response nd = http.get("/v1/research/trends?format=ndjson&minUsers=100", RESEARCHER);
        assertEquals(200, nd.status());
        String[] rows = nd.body().split("\n");
        assertEquals(expected.size(), rows.length);
        for (String row : rows) {
            JsonNode j = new TestHttp.Response(200, "", row, null).json();
            assertTrue(j.get("suppressed").asBoolean());
            assertTrue(j.get("users").isNull() && j.get("meanReduction").isNull());
        }
        // a request may not lower k
        String lowered = http.get("/v1/research/trends?minUsers=1", RESEARCHER).body();
        assertEquals(csv.body(), lowered);
        // filters
        String armA = http.get("/v1/research/trends?technique=melt&cohort=arm-a", RESEARCHER)
                .body();
        long expectedArmA = expected.values().stream()
                .filter(r -> r.technique().equals("melt") && r.cohort().equals("arm-a"))
                .count();
        assertEquals(expectedArmA + 1, armA.split("\n").length);

        assertEquals(
                403,
                http.get("/v1/research/trends", TestJwt.token("p-001", "user")).status());
        assertEquals(400, http.get("/v1/research/trends?format=xml", RESEARCHER).status());
        assertEquals(
                400, http.get("/v1/research/trends?minUsers=-3", RESEARCHER).status());
    }

    /**
     * The research export is a fixed lattice of cells (technique, cohort, ISO week): a filter only chooses
     * whole cells, and a cell's numbers and suppression depend on the cell and k alone. So no two requests,
     * whatever their filters, can be subtracted to reveal a suppressed group: 300 seeded random filters
     * (weeks cut mid-week too) each return exactly the cells of the unfiltered export that match, with the
     * same bytes.
     */
    @Test
    void researchFiltersOnlyChooseWholeCellsSoNoTwoRequestsCanBeDifferenced() {
        Map<Integer, Map<String, String>> fullByK = new java.util.HashMap<>();
        java.util.function.IntFunction<Map<String, String>> full = k -> fullByK.computeIfAbsent(
                k,
                kk -> ndjsonRows(http.get("/v1/research/trends?format=ndjson&minUsers=" + kk, RESEARCHER)
                        .body()));
        List<LocalDate> weeks = full.apply(5).values().stream()
                .map(r -> LocalDate.parse(new TestHttp.Response(200, "", r, null)
                        .json()
                        .get("weekStart")
                        .asText()))
                .distinct()
                .sorted()
                .toList();
        List<String> techniques = List.of("melt", "tennis-ball", "swedish", "thai", "partner");
        List<String> cohorts = List.of("arm-a", "arm-b", "none");
        Random rnd = new Random(11);
        for (int i = 0; i < 300; i++) {
            LocalDate a = rnd.nextInt(4) == 0
                    ? null
                    : weeks.get(rnd.nextInt(weeks.size())).plusDays(rnd.nextInt(7));
            LocalDate b = rnd.nextInt(4) == 0
                    ? null
                    : weeks.get(rnd.nextInt(weeks.size())).plusDays(rnd.nextInt(7));
            boolean swap = a != null && b != null && b.isBefore(a);
            LocalDate from = swap ? b : a;
            LocalDate to = swap ? a : b;
            String technique = rnd.nextBoolean() ? null : techniques.get(rnd.nextInt(techniques.size()));
            String cohort = rnd.nextBoolean() ? null : cohorts.get(rnd.nextInt(cohorts.size()));
            int minUsers = 1 + rnd.nextInt(10);
            StringBuilder q = new StringBuilder("/v1/research/trends?format=ndjson&minUsers=" + minUsers);
            if (from != null) {
                q.append("&from=").append(from);
            }
            if (to != null) {
                q.append("&to=").append(to);
            }
            if (technique != null) {
                q.append("&technique=").append(technique);
            }
            if (cohort != null) {
                q.append("&cohort=").append(cohort);
            }
            TestHttp.Response r = http.get(q.toString(), RESEARCHER);
            assertEquals(200, r.status(), q + ": " + r.body());
            Map<String, String> expected = new java.util.LinkedHashMap<>();
            full.apply(Math.max(5, minUsers)).forEach((key, row) -> {
                String[] k = key.split("\\|");
                LocalDate week = LocalDate.parse(k[2]);
                boolean inRange = (from == null || !week.isBefore(from.with(java.time.DayOfWeek.MONDAY)))
                        && (to == null || !week.isAfter(to));
                if (inRange
                        && (technique == null || technique.equals(k[0]))
                        && (cohort == null || cohort.equals(k[1]))) {
                    expected.put(key, row);
                }
            });
            assertEquals(expected, ndjsonRows(r.body()), "whole cells, the same bytes: " + q);
        }
    }

    /** NDJSON rows keyed "technique|cohort|weekStart", in order. */
    private static Map<String, String> ndjsonRows(String body) {
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                JsonNode j = new TestHttp.Response(200, "", line, null).json();
                rows.put(
                        j.get("technique").asText() + "|" + j.get("cohort").asText() + "|"
                                + j.get("weekStart").asText(),
                        line);
            }
        }
        return rows;
    }

    @Test
    void unchangedAnswersAre304AndTheCatalogueIsServed() {
        TestHttp.Response first = http.get("/v1/techniques", ADMIN);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("W/\""), "weak: the same content may come with another asOf");
        TestHttp.Response again = http.getWith("/v1/techniques", ADMIN, "If-None-Match", "\"x\", " + etag);
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(
                200,
                http.getWith("/v1/techniques", ADMIN, "If-None-Match", "W/\"other\"")
                        .status());

        JsonNode catalogue =
                http.get("/v1/catalogue", TestJwt.token("p-005", "user")).json().get("techniques");
        assertEquals(11, catalogue.size());
        assertEquals("swedish", catalogue.get(0).get("id").asText());
        assertEquals("professional", catalogue.get(0).get("defaultProvider").asText());
        assertEquals(401, http.get("/v1/catalogue", null).status());
    }

    /** Runs last in effect: it removes a user and checks every answer moves. */
    @Test
    void forgettingAUserRemovesThemFromEveryAnswerWithinSeconds() throws Exception {
        String gone = "p-004";
        String token = TestJwt.token(gone, "user");
        assertEquals(403, http.delete("/v1/users/p-005", token).status());
        long start = System.nanoTime();
        TestHttp.Response deleted = http.delete("/v1/users/" + gone, token);
        assertEquals(202, deleted.status(), deleted.body());

        Oracle without = new Oracle(
                oracle.sessions.stream().filter(s -> !s.user().equals(gone)).toList(),
                oracle.entries.stream().filter(e -> !e.user().equals(gone)).toList());
        JsonNode population = awaitPopulation(http, without, Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "forgotten within seconds: " + took);
        assertPopulation(without, population);
        assertEquals(
                0,
                http.get("/v1/users/" + gone + "/techniques", token)
                        .json()
                        .get("techniques")
                        .size());
        assertEquals(
                0,
                http.get("/v1/users/" + gone + "/journal", token)
                        .json()
                        .get("weeks")
                        .size());

        // A stale offline queue re-posts an old event: a duplicate, and nothing comes back.
        String old = journal.json.stream()
                .filter(j -> j.contains("\"userId\":\"" + gone + "\""))
                .findFirst()
                .orElseThrow();
        TestHttp.Response repost = http.postJson("/v1/events", token, "[" + old + "]");
        assertEquals(
                "duplicate", repost.json().get("results").get(0).get("status").asText());
        oracle = without; // the other tests of this class compare against what remains
    }
}
