package io.painjournal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.auth.AuthConfig;
import io.painjournal.auth.Role;
import io.painjournal.auth.Tokens;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.query.NotReadyException;
import io.painjournal.query.ResearchFilter;
import io.painjournal.query.Results;
import io.painjournal.web.Callers;
import io.painjournal.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The api routes against a fake {@link AnalyticsQueries}: status mapping, k, and the streamed export. */
class ApiRoutesTest {

    private static final String SECRET = "api-test-secret-api-test-secret-0123456789";

    private Vertx vertx;
    private HttpServer server;
    private Tokens tokens;
    private final FakeQueries queries = new FakeQueries();
    /** The researchers' budgets: 1 per 30 days, the clock standing still. */
    private final io.painjournal.api.privacy.PrivacyBudget budget = io.painjournal.api.privacy.PrivacyBudget.inMemory(
            1.0, java.time.Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), java.time.ZoneOffset.UTC));

    private final HttpClient client = HttpClient.newHttpClient();
    /** The answer cache's clock: it moves only when a test moves it. */
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        tokens = new Tokens(vertx, AuthConfig.hmac(SECRET));
        Router router = Router.router(vertx);
        router.route("/v1/*").handler(JWTAuthHandler.create(tokens.provider())).handler(Callers.resolver());
        Routes.mount(
                router,
                new ApiRoutes(queries, 5, budget, new AnswerCache(AnswerCache.DEFAULT_TTL, now::get)).routes(),
                ctx -> false);
        server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, Role role) throws Exception {
        return get(path, "someone", role, null);
    }

    private HttpResponse<String> get(String path, String subject, Role role, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .header("Authorization", "Bearer " + tokens.issue(subject, Set.of(role), 600));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAnswerIsComputedOncePerPeriodAndOnlyServedToWhoMayAskForIt() throws Exception {
        HttpResponse<String> first = get("/v1/techniques", Role.USER);
        HttpResponse<String> second = get("/v1/techniques", Role.USER);
        assertEquals(200, second.statusCode());
        assertEquals(first.body(), second.body(), "the same bytes, asOf included: it is when they were computed");
        assertEquals(1, queries.populationCalls.get());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/v1/techniques", "someone", Role.USER, etag).statusCode());

        now.addAndGet(AnswerCache.DEFAULT_TTL.toNanos());
        assertEquals(200, get("/v1/techniques", Role.USER).statusCode());
        assertEquals(2, queries.populationCalls.get(), "an expired answer is computed again");

        assertEquals(
                200, get("/v1/users/ann/techniques", "ann", Role.USER, null).statusCode());
        assertEquals(
                403,
                get("/v1/users/ann/techniques", "bob", Role.USER, null).statusCode(),
                "the authorization check comes before the cache");
        assertEquals(1, queries.personalCalls.get());

        now.addAndGet(AnswerCache.DEFAULT_TTL.toNanos());
        queries.notReady = true;
        assertEquals(503, get("/v1/techniques", Role.USER).statusCode());
        queries.notReady = false;
        assertEquals(200, get("/v1/techniques", Role.USER).statusCode(), "a failure is not kept");
    }

    /**
     * Someone else's data is refused before anything is read, so neither the answer nor its timing can
     * depend on whether that user exists.
     */
    @Test
    void anotherUsersDataIsRefusedBeforeAnyQuery() throws Exception {
        int before = queries.calls.get();
        List<String> bodies = new ArrayList<>();
        for (String user : List.of("ann", "nobody-at-all", "not%20an%20id")) {
            for (String path : List.of("/techniques", "/trend?technique=melt", "/journal")) {
                HttpResponse<String> r = get("/v1/users/" + user + path, "bob", Role.USER, null);
                assertEquals(403, r.statusCode(), r.body());
                bodies.add(r.body());
            }
        }
        assertEquals(403, get("/v1/research/trends", "bob", Role.USER, null).statusCode());
        assertEquals(before, queries.calls.get(), "no query ran for a refused request");
        assertEquals(1, bodies.stream().distinct().count(), "one answer for every refused user: " + bodies);
    }

    @Test
    void aStateThatIsMovingIs503WithRetryAfterNot500() throws Exception {
        queries.notReady = true;
        HttpResponse<String> r = get("/v1/techniques", Role.USER);
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
        assertEquals(
                "application/problem+json",
                r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(503, get("/v1/research/trends", Role.RESEARCHER).statusCode());
    }

    @Test
    void theExportIsStreamedPageByPageInOrder() throws Exception {
        queries.rows = 1234;
        HttpResponse<String> r = get("/v1/research/trends?format=csv", Role.RESEARCHER);
        assertEquals(200, r.statusCode());
        String[] lines = r.body().split("\n");
        assertEquals(1235, lines.length);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("melt,c" + String.format("%05d", i - 1) + ","), lines[i]);
        }
        assertEquals(
                Arrays.asList(null, "k00499", "k00999"),
                queries.cursors,
                "three pages of " + ResearchRoutes.RESEARCH_PAGE + ", each after the last");
    }

    @Test
    void aRequestMayRaiseKButNeverLowerIt() throws Exception {
        get("/v1/research/trends?minUsers=2", Role.RESEARCHER);
        get("/v1/research/trends?minUsers=12", Role.RESEARCHER);
        get("/v1/research/trends", Role.ADMIN);
        assertEquals(List.of(5, 12, 5), queries.ks);
    }

    @Test
    void aCohortQueryListsEveryBadParameterAndNeedsAResearcher() throws Exception {
        HttpResponse<String> r = get("/v1/research/cohorts?b=x&days=30&technique=foot-rub&epsilon=1", Role.RESEARCHER);
        assertEquals(400, r.statusCode(), r.body());
        for (String field : List.of("\"a\"", "\"days\"", "\"technique\"", "\"epsilon\"")) {
            assertTrue(r.body().contains("\"field\":" + field), field + " in " + r.body());
        }
        assertTrue(r.body().contains("multiple of 7"), r.body());
        HttpResponse<String> same = get("/v1/research/cohorts?a=x&b=x", Role.RESEARCHER);
        assertEquals(400, same.statusCode());
        assertTrue(same.body().contains("must differ from a"), same.body());
        assertEquals(
                400,
                get("/v1/research/cohorts?a=x&b=y&privacy=dp&epsilon=0", Role.RESEARCHER)
                        .statusCode());
        assertEquals(400, get("/v1/research/cohorts?a=X!&b=y", Role.RESEARCHER).statusCode());
        assertEquals(403, get("/v1/research/cohorts?a=x&b=y", Role.USER).statusCode());
        assertTrue(queries.cohortQueries.isEmpty(), "no bad query was asked");

        HttpResponse<String> ok = get("/v1/research/cohorts?a=melt-arm&b=control&minUsers=9", Role.RESEARCHER);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(
                new io.painjournal.query.CohortQuery("melt-arm", "control", null, 28, 9), queries.cohortQueries.get(0));
        assertTrue(ok.body().contains("\"privacy\":null"), ok.body());
    }

    /** A budget of 1: 0.6 spent, 0.6 more refused (429, nothing spent, nothing released), then 0.4 fits. */
    @Test
    void privateAnswersSpendTheResearchersBudgetExactlyAndARefusalSpendsNothing() throws Exception {
        String cohorts = "/v1/research/cohorts?a=melt-arm&b=control&privacy=dp&epsilon=";
        HttpResponse<String> first = get(cohorts + "0.6", "rita", Role.RESEARCHER, null);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("no-store", first.headers().firstValue("Cache-Control").orElse(""));
        var privacy = new io.vertx.core.json.JsonObject(first.body()).getJsonObject("privacy");
        assertEquals("test-noise", privacy.getString("mechanism"));
        assertEquals(0.6, privacy.getDouble("epsilonSpent"), 1e-9);
        assertEquals(0.4, privacy.getDouble("epsilonLeft"), 1e-9);

        HttpResponse<String> refused = get(cohorts + "0.6", "rita", Role.RESEARCHER, null);
        assertEquals(429, refused.statusCode(), refused.body());
        assertEquals(
                "application/problem+json",
                refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("nothing was spent"), refused.body());
        assertEquals(List.of(0.6), queries.published, "a refused request releases nothing");

        HttpResponse<String> csv = get(
                "/v1/research/trends?privacy=dp&epsilon=0.4&cohort=melt-arm&from=2026-11-02&to=2026-11-29",
                "rita",
                Role.RESEARCHER,
                null);
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals("0.4", csv.headers().firstValue("Privacy-Epsilon-Spent").orElse(""));
        assertEquals(
                0.0,
                Double.parseDouble(
                        csv.headers().firstValue("Privacy-Epsilon-Left").orElse("")),
                1e-9);
        assertTrue(csv.body().startsWith("technique,cohort,weekStart"), csv.body());
        assertEquals(2, csv.body().split("\n").length, csv.body());
        assertEquals(429, get(cohorts + "0.01", "rita", Role.RESEARCHER, null).statusCode());
        assertEquals(200, get(cohorts + "1", "tom", Role.RESEARCHER, null).statusCode(), "another researcher");
        assertEquals(List.of(0.6, 0.4, 1.0), queries.published);
    }

    @Test
    void aPrivateExportNeedsOneCohortAndABoundedPeriod() throws Exception {
        HttpResponse<String> r = get("/v1/research/trends?privacy=dp", Role.RESEARCHER);
        assertEquals(400, r.statusCode());
        for (String field : List.of("cohort", "from", "to")) {
            assertTrue(r.body().contains("\"field\":\"" + field + "\""), field + " in " + r.body());
        }
        HttpResponse<String> long_ =
                get("/v1/research/trends?privacy=dp&cohort=a&from=2025-01-01&to=2026-12-01", Role.RESEARCHER);
        assertEquals(400, long_.statusCode());
        assertTrue(long_.body().contains("371 days"), long_.body());
        assertEquals(
                400, get("/v1/research/trends?privacy=exact", Role.RESEARCHER).statusCode());
        assertTrue(queries.published.isEmpty());
    }

    @Test
    void anExportThatBreaksOffMidwayIsABrokenTransferNotAShortFile() throws Exception {
        queries.rows = 1234;
        queries.failAfterFirstPage = true;
        assertThrows(IOException.class, () -> get("/v1/research/trends?format=ndjson", Role.RESEARCHER));
    }

    /** Research rows c00000… in key order; everything else empty. */
    static final class FakeQueries implements AnalyticsQueries {
        volatile boolean notReady;
        final java.util.concurrent.atomic.AtomicInteger populationCalls =
                new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger personalCalls = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean failAfterFirstPage;
        volatile int rows;
        final List<String> cursors = new CopyOnWriteArrayList<>();
        final List<Integer> ks = new CopyOnWriteArrayList<>();

        /** Every query asked, whatever it was. */
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        private <T> Future<T> answer(T value) {
            calls.incrementAndGet();
            return notReady
                    ? Future.failedFuture(new NotReadyException("rebalancing", null))
                    : Future.succeededFuture(value);
        }

        @Override
        public Future<Results.PopulationView> population() {
            populationCalls.incrementAndGet();
            return answer(new Results.PopulationView(Instant.now(), List.of()));
        }

        @Override
        public Future<Results.TrendView> trend(String technique, LocalDate from, LocalDate to) {
            return answer(new Results.TrendView(Instant.now(), technique, List.of()));
        }

        @Override
        public Future<Results.PersonalView> personal(String userId) {
            personalCalls.incrementAndGet();
            return answer(new Results.PersonalView(Instant.now(), userId, List.of(), List.of(), null));
        }

        @Override
        public Future<Results.PersonalTrendView> personalTrend(
                String userId, String technique, LocalDate from, LocalDate to) {
            return answer(new Results.PersonalTrendView(Instant.now(), userId, technique, List.of()));
        }

        @Override
        public Future<Results.JournalView> journal(String userId, LocalDate from, LocalDate to) {
            return answer(new Results.JournalView(Instant.now(), userId, List.of()));
        }

        @Override
        public Future<Results.TrialList> trials(String userId) {
            return answer(new Results.TrialList(Instant.now(), userId, List.of()));
        }

        @Override
        public Future<Results.TrialSummary> trialSummary(String first, String second) {
            return answer(Results.TrialSummary.suppressed(List.of(first, second)));
        }

        @Override
        public Future<Results.TrialView> trial(String userId, String trialId) {
            calls.incrementAndGet();
            return Future.failedFuture(new java.util.NoSuchElementException("no such trial"));
        }

        @Override
        public Future<Results.ExportPage> export(String userId, String after, int limit) {
            return answer(new Results.ExportPage(List.of(), null));
        }

        final List<io.painjournal.query.CohortQuery> cohortQueries = new CopyOnWriteArrayList<>();

        @Override
        public Future<Results.CohortComparison> cohorts(io.painjournal.query.CohortQuery q) {
            cohortQueries.add(q);
            return answer(comparison(q, 0));
        }

        private static Results.CohortComparison comparison(io.painjournal.query.CohortQuery q, double noise) {
            Results.CohortArm a =
                    new Results.CohortArm(q.a(), false, 9L, 30L, 2.0 + noise, 1.0, null, null, null, null, 0L);
            return new Results.CohortComparison(
                    Instant.now(),
                    q.days(),
                    q.technique(),
                    a,
                    Results.CohortArm.suppressed(q.b()),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        /** Releases published, with their epsilon. */
        final List<Double> published = new CopyOnWriteArrayList<>();

        @Override
        public Future<io.painjournal.query.PrivateRelease<Results.CohortComparison>> privateCohorts(
                io.painjournal.query.CohortQuery q) {
            cohortQueries.add(q);
            return answer(release(epsilon -> comparison(q, 1 / epsilon)));
        }

        @Override
        public Future<io.painjournal.query.PrivateRelease<List<Results.ResearchRow>>> privateResearch(
                ResearchFilter filter) {
            ks.add(filter.minUsers());
            return answer(release(epsilon -> List.of(new Results.ResearchRow(
                    "melt", filter.cohort(), filter.from(), 7L, 9L, 5.0, 2.0, 1.0, 0.5, false))));
        }

        private <T> io.painjournal.query.PrivateRelease<T> release(java.util.function.DoubleFunction<T> publish) {
            return new io.painjournal.query.PrivateRelease<>() {
                @Override
                public String mechanism() {
                    return "test-noise";
                }

                @Override
                public T publish(double epsilon) {
                    published.add(epsilon);
                    return publish.apply(epsilon);
                }
            };
        }

        @Override
        public Future<Results.ResearchPage> research(ResearchFilter filter, String after, int limit) {
            cursors.add(after);
            ks.add(filter.minUsers());
            if (after != null && failAfterFirstPage) {
                return Future.failedFuture(new NotReadyException("rebalancing", null));
            }
            int start = after == null ? 0 : Integer.parseInt(after.substring(1)) + 1;
            List<Results.ResearchRow> page = new ArrayList<>();
            for (int i = start; i < Math.min(rows, start + limit); i++) {
                page.add(new Results.ResearchRow(
                        "melt",
                        "c" + String.format("%05d", i),
                        LocalDate.parse("2026-11-16"),
                        7L,
                        9L,
                        5.0,
                        2.0,
                        1.0,
                        0.5,
                        false));
            }
            String next = start + limit < rows ? "k" + String.format("%05d", start + limit - 1) : null;
            return answer(new Results.ResearchPage(page, next));
        }
    }
}
