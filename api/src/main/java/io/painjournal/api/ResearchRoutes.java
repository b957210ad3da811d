package io.painjournal.api;

import io.painjournal.api.privacy.PrivacyBudget;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.query.CohortQuery;
import io.painjournal.query.PrivateRelease;
import io.painjournal.query.ResearchFilter;
import io.painjournal.query.Results;
import io.painjournal.web.Callers;
import io.painjournal.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * The researchers' handlers: the trends export (CSV or NDJSON) and the cohort comparison, exact (at least k
 * users a figure) or with {@code privacy=dp}, which spends the researcher's epsilon budget first.
 *
 * @param researchMinUsers the server's k ({@code RESEARCH_MIN_USERS}); a request may raise it, never lower it
 * @param budget           the researchers' epsilon budgets ({@code privacy=dp})
 */
record ResearchRoutes(AnalyticsQueries queries, int researchMinUsers, PrivacyBudget budget, Answers answers) {

    static final int RESEARCH_PAGE = 500;
    /** The longest period a {@code privacy=dp} export may cover: a year of weeks (its grid of rows is bounded). */
    static final int MAX_DP_DAYS = 371;

    private static final Pattern COHORT = Pattern.compile("none|[a-z0-9-]{1,40}");

    /** {@code GET /v1/research/trends}: every row of the filter, streamed page by page, or with noise. */
    void trends(RoutingContext ctx) {
        QueryParams q = new QueryParams(ctx);
        String technique = q.technique("technique", false);
        String cohort = q.pattern("cohort", COHORT, "must be none or 1 to 40 characters of a-z, 0-9 or '-'");
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        Integer minUsers = q.integer("minUsers", 1, 1_000_000);
        String format = q.oneOf("format", "csv", "ndjson");
        Double epsilon = q.privacy();
        if (epsilon != null) {
            q.require("cohort", cohort, "is required with privacy=dp (the rows are every week of one cohort)");
            q.require("from", from, "is required with privacy=dp");
            q.require("to", to, "is required with privacy=dp");
            if (from != null && to != null && from.plusDays(MAX_DP_DAYS).isBefore(to)) {
                q.error("to", "must be at most " + MAX_DP_DAYS + " days after from with privacy=dp");
            }
        }
        if (q.failed()) {
            return;
        }
        ResearchFilter filter = new ResearchFilter(from, to, technique, cohort, k(minUsers));
        boolean csv = !"ndjson".equals(format);
        if (epsilon != null) {
            privateTrends(ctx, filter, csv, epsilon);
            return;
        }
        // The first page decides the status: 503 is still possible before anything is written.
        new PagedStream<Results.ResearchPage>(
                        "research export",
                        after -> queries.research(filter, after, RESEARCH_PAGE),
                        page -> rows(page.rows(), csv),
                        Results.ResearchPage::next,
                        "")
                .start(ctx, () -> {
                    HttpServerResponse response = exportHeaders(ctx, csv).setChunked(true);
                    if (csv) {
                        response.write(ResultJson.CSV_HEADER);
                    }
                });
    }

    /** The whole grid of the request, released with noise after the budget is spent (a bounded number of rows). */
    private void privateTrends(RoutingContext ctx, ResearchFilter filter, boolean csv, double epsilon) {
        spend(Callers.of(ctx).subject(), queries.privateResearch(filter), epsilon)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Answers.failed(ctx, ar.cause());
                        return;
                    }
                    Results.Privacy privacy = ar.result().privacy();
                    exportHeaders(ctx, csv)
                            .putHeader("Privacy-Mechanism", privacy.mechanism())
                            .putHeader("Privacy-Epsilon-Spent", Double.toString(epsilon))
                            .putHeader("Privacy-Epsilon-Left", Double.toString(privacy.epsilonLeft()))
                            .end((csv ? ResultJson.CSV_HEADER : "")
                                    + rows(ar.result().answer(), csv));
                });
    }

    private static String rows(Iterable<Results.ResearchRow> rows, boolean csv) {
        StringBuilder body = new StringBuilder();
        for (Results.ResearchRow row : rows) {
            body.append(csv ? ResultJson.csvRow(row) : ResultJson.ndjsonRow(row));
        }
        return body.toString();
    }

    private static HttpServerResponse exportHeaders(RoutingContext ctx, boolean csv) {
        HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .putHeader("Cache-Control", "no-store");
        if (csv) {
            response.putHeader("Content-Disposition", "attachment; filename=\"pain-journal-trends.csv\"");
        }
        return response;
    }

    /** {@code GET /v1/research/cohorts}: two cohorts' arms compared, exact or with noise. */
    void cohorts(RoutingContext ctx) {
        QueryParams q = new QueryParams(ctx);
        String a = q.pattern("a", COHORT, "must be 1 to 40 characters of a-z, 0-9 or '-'");
        String b = q.pattern("b", COHORT, "must be 1 to 40 characters of a-z, 0-9 or '-'");
        q.require("a", ctx.request().getParam("a"), "is required: the cohort tag of the first arm");
        q.require("b", ctx.request().getParam("b"), "is required: the cohort tag of the second arm");
        if (a != null && a.equals(b)) {
            q.error("b", "must differ from a");
        }
        String technique = q.technique("technique", false);
        Integer days = q.integer("days", CohortQuery.MIN_DAYS, CohortQuery.MAX_DAYS);
        if (days != null && days % 7 != 0) {
            q.error("days", "must be a multiple of 7 from 7 to 84");
        }
        Integer minUsers = q.integer("minUsers", 1, 1_000_000);
        Double epsilon = q.privacy();
        if (q.failed()) {
            return;
        }
        CohortQuery query =
                new CohortQuery(a, b, technique, days == null ? CohortQuery.DEFAULT_DAYS : days, k(minUsers));
        if (epsilon == null) {
            answers.answer(ctx, () -> queries.cohorts(query));
            return;
        }
        spend(Callers.of(ctx).subject(), queries.privateCohorts(query), epsilon)
                .map(released -> released.answer().withPrivacy(released.privacy()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Answers.failed(ctx, ar.cause());
                    } else {
                        ctx.response()
                                .putHeader("Cache-Control", "no-store")
                                .putHeader("Content-Type", Responses.JSON)
                                .end(ResultJson.of(ar.result()).toBuffer());
                    }
                });
    }

    /** The k of a request: the server's, or more if the request asks for more. */
    private int k(Integer minUsers) {
        return Math.max(researchMinUsers, minUsers == null ? 0 : minUsers);
    }

    /**
     * Spends the researcher's epsilon on a release, then publishes it: a spend the budget refuses
     * ({@link PrivacyBudget.Exhausted}) publishes nothing.
     */
    private <T> Future<Released<T>> spend(String researcher, Future<PrivateRelease<T>> release, double epsilon) {
        return release.compose(r -> budget.spend(researcher, epsilon)
                .map(spend ->
                        new Released<>(r.publish(epsilon), new Results.Privacy(r.mechanism(), epsilon, spend.left()))));
    }

    /** A published release and what its answer states about privacy. */
    private record Released<T>(T answer, Results.Privacy privacy) {}
}
