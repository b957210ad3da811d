package io.painjournal.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.api.privacy.PrivacyBudget;
import io.painjournal.catalogue.Catalogue;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.query.CohortQuery;
import io.painjournal.query.NotReadyException;
import io.painjournal.query.ResearchFilter;
import io.painjournal.query.Results;
import io.painjournal.validation.FieldError;
import io.painjournal.web.Access;
import io.painjournal.web.Callers;
import io.painjournal.web.Problem;
import io.painjournal.web.Responses;
import io.painjournal.web.Route;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The api role's HTTP surface (API.md sections 1, 3 and 4): checks who may ask, parses the query,
 * asks {@link AnalyticsQueries} and renders the answer. JSON answers carry {@code asOf} and an ETag
 * over everything but {@code asOf}, so an unchanged answer is a 304.
 */
public final class ApiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    static final int RESEARCH_PAGE = 500;
    private static final Pattern COHORT = Pattern.compile("none|[a-z0-9-]{1,40}");

    private final AnalyticsQueries queries;
    private final int researchMinUsers;
    private final AnswerCache cache;
    private final ChangeStream changes;
    private final PrivacyBudget budget;

    /** The epsilon a {@code privacy=dp} request spends unless it says otherwise. */
    static final double DEFAULT_EPSILON = 0.5;
    /** The longest period a {@code privacy=dp} export may cover: a year of weeks (its grid of rows is bounded). */
    static final int MAX_DP_DAYS = 371;

    /**
     * @param researchMinUsers the server's k ({@code RESEARCH_MIN_USERS}); a request may raise it, never lower it
     * @param budget           the researchers' epsilon budgets ({@code privacy=dp})
     */
    public ApiRoutes(AnalyticsQueries queries, int researchMinUsers, PrivacyBudget budget, MeterRegistry registry) {
        this(queries, researchMinUsers, budget, AnswerCache.standard(registry));
    }

    ApiRoutes(AnalyticsQueries queries, int researchMinUsers, PrivacyBudget budget, AnswerCache cache) {
        this.queries = queries;
        this.researchMinUsers = researchMinUsers;
        this.budget = budget;
        this.cache = cache;
        this.changes = new ChangeStream(queries);
    }

    /** The api role's route table. */
    public List<Route> routes() {
        AnswerCache.Answer catalogue = AnswerCache.Answer.of(ResultJson.catalogue());
        return List.of(
                Route.get("/v1/catalogue", Access.CALLER, ctx -> send(ctx, catalogue)),
                Route.get("/v1/techniques", Access.CALLER, ctx -> answer(ctx, queries::population)),
                Route.get("/v1/techniques/:technique/trend", Access.CALLER, this::techniqueTrend),
                Route.get(
                        "/v1/users/:userId/techniques",
                        Access.SELF_OR_ADMIN,
                        ctx -> answer(ctx, () -> queries.personal(ctx.pathParam("userId")))),
                Route.get("/v1/users/:userId/trend", Access.SELF_OR_ADMIN, this::personalTrend),
                Route.get("/v1/users/:userId/journal", Access.SELF_OR_ADMIN, this::journal),
                Route.get(
                        "/v1/users/:userId/trials",
                        Access.SELF_OR_ADMIN,
                        ctx -> answer(ctx, () -> queries.trials(ctx.pathParam("userId")))),
                Route.get("/v1/users/:userId/trials/:trialId", Access.SELF_OR_ADMIN, this::trial),
                Route.get("/v1/users/:userId/trials/:trialId/calendar.ics", Access.SELF_OR_ADMIN, this::calendar),
                Route.get("/v1/users/:userId/export", Access.SELF_OR_ADMIN, this::export),
                Route.get("/v1/research/trends", Access.RESEARCHER, this::research),
                Route.get("/v1/research/cohorts", Access.RESEARCHER, this::cohorts),
                Route.get("/v1/stream", Access.CALLER, ctx -> changes.open(ctx, Callers.of(ctx))),
                // The dashboard: its page at /, its modules, styles and the vendored chart library under /ui/.
                Route.any("/", Access.PUBLIC, ctx -> ctx.reroute("/ui/index.html")),
                Route.any(
                        "/ui/*",
                        Access.PUBLIC,
                        StaticHandler.create("dashboard")
                                .setDefaultContentEncoding("UTF-8")
                                .setCachingEnabled(false)));
    }

    private void techniqueTrend(RoutingContext ctx) {
        String technique = ctx.pathParam("technique");
        if (!Catalogue.contains(technique)) {
            Problem.of(404, "Not Found", "'" + technique + "' is not a technique of the catalogue (GET /v1/catalogue).")
                    .send(ctx);
            return;
        }
        Query q = new Query(ctx);
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        if (q.failed()) {
            return;
        }
        answer(ctx, () -> queries.trend(technique, from, to));
    }

    private void personalTrend(RoutingContext ctx) {
        Query q = new Query(ctx);
        String technique = q.technique("technique", false);
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        if (q.failed()) {
            return;
        }
        answer(ctx, () -> queries.personalTrend(ctx.pathParam("userId"), technique, from, to));
    }

    private void journal(RoutingContext ctx) {
        Query q = new Query(ctx);
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        if (q.failed()) {
            return;
        }
        answer(ctx, () -> queries.journal(ctx.pathParam("userId"), from, to));
    }

    // --- trials ----------------------------------------------------------------------------------------

    private void trial(RoutingContext ctx) {
        String trialId = trialId(ctx);
        if (trialId != null) {
            answer(ctx, () -> queries.trial(ctx.pathParam("userId"), trialId));
        }
    }

    /** The trial's schedule as iCalendar; the same answer as the trial's own for errors (404, 503). */
    private void calendar(RoutingContext ctx) {
        String trialId = trialId(ctx);
        if (trialId == null) {
            return;
        }
        queries.trial(ctx.pathParam("userId"), trialId).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            ctx.response()
                    .putHeader("Content-Type", TrialCalendar.CONTENT_TYPE)
                    .putHeader("Cache-Control", "private, no-cache")
                    .end(TrialCalendar.ics(ar.result(), java.time.Instant.now()));
        });
    }

    /** The path's trialId in canonical form, or null after answering 404 (no trial can have that id). */
    private static String trialId(RoutingContext ctx) {
        String id = ctx.pathParam("trialId").toLowerCase(java.util.Locale.ROOT);
        if (!io.painjournal.validation.EventValidator.isUuid(id)) {
            Problem.of(404, "Not Found", "No such trial: a trialId is a UUID.").send(ctx);
            return null;
        }
        return id;
    }

    // --- the user's own export ------------------------------------------------------------------------

    static final int EXPORT_PAGE = 500;

    /**
     * {@code GET /v1/users/{userId}/export?format=ndjson|fhir}: every accepted event of the user, page by page from
     * their state (one page in memory), as NDJSON lines or one FHIR Bundle. The first page decides the status.
     */
    private void export(RoutingContext ctx) {
        Query q = new Query(ctx);
        String format = q.oneOf("format", "ndjson", "fhir");
        if (q.failed()) {
            return;
        }
        String userId = ctx.pathParam("userId");
        boolean fhir = "fhir".equals(format);
        queries.export(userId, null, EXPORT_PAGE).onComplete(first -> {
            if (first.failed()) {
                failed(ctx, first.cause());
                return;
            }
            HttpServerResponse response = ctx.response()
                    .setChunked(true)
                    .putHeader("Content-Type", fhir ? FhirExport.CONTENT_TYPE : "application/x-ndjson")
                    .putHeader("Cache-Control", "no-store")
                    .putHeader(
                            "Content-Disposition",
                            "attachment; filename=\"pain-journal-" + userId + (fhir ? ".fhir.json" : ".ndjson") + "\"");
            if (fhir) {
                response.write(FhirExport.head(userId, java.time.Instant.now()));
            }
            streamExport(ctx, userId, fhir, first.result());
        });
    }

    private void streamExport(RoutingContext ctx, String userId, boolean fhir, Results.ExportPage page) {
        HttpServerResponse response = ctx.response();
        StringBuilder chunk = new StringBuilder();
        String patient = FhirExport.patientUrl(userId);
        for (String line : page.events()) {
            if (!fhir) {
                chunk.append(line).append('\n');
                continue;
            }
            JournalEvent event = EventCodec.decode(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (io.vertx.core.json.JsonObject entry : FhirExport.entries(event, patient)) {
                chunk.append(',').append(entry.encode());
            }
        }
        if (chunk.length() > 0) {
            response.write(chunk.toString());
        }
        if (page.next() == null) {
            response.end(fhir ? FhirExport.TAIL : "");
            return;
        }
        Runnable next = () -> queries.export(userId, page.next(), EXPORT_PAGE).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("export broken off: {}", ar.cause().getMessage());
                response.reset(); // a broken transfer, not a silently short file
                return;
            }
            streamExport(ctx, userId, fhir, ar.result());
        });
        if (response.writeQueueFull()) {
            response.drainHandler(v -> next.run());
        } else {
            next.run();
        }
    }

    // --- research export --------------------------------------------------------------------------

    private void research(RoutingContext ctx) {
        Query q = new Query(ctx);
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
        int k = Math.max(researchMinUsers, minUsers == null ? 0 : minUsers);
        ResearchFilter filter = new ResearchFilter(from, to, technique, cohort, k);
        boolean csv = !"ndjson".equals(format);
        if (epsilon != null) {
            privateResearch(ctx, filter, csv, epsilon);
            return;
        }
        // The first page decides the status: 503 is still possible before anything is written.
        queries.research(filter, null, RESEARCH_PAGE).onComplete(first -> {
            if (first.failed()) {
                failed(ctx, first.cause());
                return;
            }
            HttpServerResponse response = exportHeaders(ctx, csv).setChunked(true);
            if (csv) {
                response.write(ResultJson.CSV_HEADER);
            }
            stream(ctx, filter, csv, first.result());
        });
    }

    /** The whole grid of the request, released with noise after the budget is spent (a bounded number of rows). */
    private void privateResearch(RoutingContext ctx, ResearchFilter filter, boolean csv, double epsilon) {
        String researcher = Callers.of(ctx).subject();
        queries.privateResearch(filter)
                .compose(release -> budget.spend(researcher, epsilon)
                        .map(spend -> new Released<>(release.publish(epsilon), release.mechanism(), spend)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        failed(ctx, ar.cause());
                        return;
                    }
                    HttpServerResponse response = exportHeaders(ctx, csv)
                            .putHeader("Privacy-Mechanism", ar.result().mechanism())
                            .putHeader("Privacy-Epsilon-Spent", Double.toString(epsilon))
                            .putHeader(
                                    "Privacy-Epsilon-Left",
                                    Double.toString(ar.result().spend().left()));
                    StringBuilder body = new StringBuilder(csv ? ResultJson.CSV_HEADER : "");
                    for (Results.ResearchRow row : ar.result().answer()) {
                        body.append(csv ? ResultJson.csvRow(row) : ResultJson.ndjsonRow(row));
                    }
                    response.end(body.toString());
                });
    }

    private record Released<T>(T answer, String mechanism, PrivacyBudget.Spend spend) {}

    private static HttpServerResponse exportHeaders(RoutingContext ctx, boolean csv) {
        HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
                .putHeader("Cache-Control", "no-store");
        if (csv) {
            response.putHeader("Content-Disposition", "attachment; filename=\"pain-journal-trends.csv\"");
        }
        return response;
    }

    // --- cohort comparison ------------------------------------------------------------------------

    private void cohorts(RoutingContext ctx) {
        Query q = new Query(ctx);
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
        int k = Math.max(researchMinUsers, minUsers == null ? 0 : minUsers);
        CohortQuery query = new CohortQuery(a, b, technique, days == null ? CohortQuery.DEFAULT_DAYS : days, k);
        if (epsilon == null) {
            answer(ctx, () -> queries.cohorts(query));
            return;
        }
        String researcher = Callers.of(ctx).subject();
        queries.privateCohorts(query)
                .compose(release -> budget.spend(researcher, epsilon)
                        .map(spend -> release.publish(epsilon)
                                .withPrivacy(new Results.Privacy(release.mechanism(), epsilon, spend.left()))))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        failed(ctx, ar.cause());
                    } else {
                        ctx.response()
                                .putHeader("Cache-Control", "no-store")
                                .putHeader("Content-Type", Responses.JSON)
                                .end(ResultJson.of(ar.result()).toBuffer());
                    }
                });
    }

    /** Writes a page, waits for the client to drain if needed, fetches the next: one page in memory. */
    private void stream(RoutingContext ctx, ResearchFilter filter, boolean csv, Results.ResearchPage page) {
        HttpServerResponse response = ctx.response();
        StringBuilder chunk = new StringBuilder();
        for (Results.ResearchRow row : page.rows()) {
            chunk.append(csv ? ResultJson.csvRow(row) : ResultJson.ndjsonRow(row));
        }
        if (chunk.length() > 0) {
            response.write(Buffer.buffer(chunk.toString()));
        }
        if (page.next() == null) {
            response.end();
            return;
        }
        Runnable next =
                () -> queries.research(filter, page.next(), RESEARCH_PAGE).onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warn("research export broken off: {}", ar.cause().getMessage());
                        response.reset(); // the client sees a broken transfer, not a silently short file
                        return;
                    }
                    stream(ctx, filter, csv, ar.result());
                });
        if (response.writeQueueFull()) {
            response.drainHandler(v -> next.run());
        } else {
            next.run();
        }
    }

    // --- answering --------------------------------------------------------------------------------

    /**
     * Answers from the {@link AnswerCache} when it holds a fresh answer for this URI, else asks and keeps
     * the rendered answer. Callers have already checked that the caller may see it.
     */
    private void answer(RoutingContext ctx, Supplier<Future<?>> query) {
        cache.answer(ctx.request().uri(), () -> query.get().map(ResultJson::of)).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
            } else {
                send(ctx, ar.result());
            }
        });
    }

    /**
     * 200 with an ETag over the content, or 304 when the client has it already. The tag is weak
     * (RFC 9110): answers with the same content may differ in their asOf.
     */
    private static void send(RoutingContext ctx, AnswerCache.Answer answer) {
        String ifNoneMatch = ctx.request().getHeader("If-None-Match");
        ctx.response().putHeader("ETag", answer.etag()).putHeader("Cache-Control", "private, no-cache");
        if (ifNoneMatch != null
                && java.util.Arrays.stream(ifNoneMatch.split(","))
                        .map(String::trim)
                        .anyMatch(t -> t.equals(answer.etag()) || t.equals(answer.opaqueEtag()) || t.equals("*"))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", Responses.JSON)
                .end(answer.bytes());
    }

    private static void failed(RoutingContext ctx, Throwable cause) {
        if (cause instanceof NotReadyException) {
            Responses.unavailable(ctx, 1, "The analytics state is being restored or rebalanced; retry shortly.");
        } else if (cause instanceof PrivacyBudget.Exhausted e) {
            new Problem(
                            "urn:pain-journal:problem:privacy-budget-spent",
                            "Privacy budget spent",
                            429,
                            "This request needs more epsilon than the " + e.left()
                                    + " left of your budget for the last 30 days; nothing was spent.",
                            List.of())
                    .send(ctx);
        } else if (cause instanceof java.util.NoSuchElementException) {
            Problem.of(404, "Not Found", "No such trial of this user.").send(ctx);
        } else {
            ctx.fail(cause);
        }
    }

    /** Reads query parameters, collecting an error per bad one; {@link #failed()} answers 400 with them. */
    private static final class Query {
        private final RoutingContext ctx;
        private final List<FieldError> errors = new ArrayList<>();
        private final java.util.Map<String, LocalDate> dates = new java.util.HashMap<>();

        Query(RoutingContext ctx) {
            this.ctx = ctx;
        }

        private String raw(String name) {
            String v = ctx.request().getParam(name);
            return v == null || v.isEmpty() ? null : v;
        }

        LocalDate date(String name) {
            String v = raw(name);
            if (v == null) {
                return null;
            }
            try {
                LocalDate date = LocalDate.parse(v);
                dates.put(name, date);
                return date;
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(name, "must be a date YYYY-MM-DD"));
                return null;
            }
        }

        String technique(String name, boolean required) {
            String v = raw(name);
            if (v == null) {
                if (required) {
                    errors.add(new FieldError(name, "is required"));
                }
                return null;
            }
            if (!Catalogue.contains(v)) {
                errors.add(new FieldError(name, "must be a technique id of the catalogue (GET /v1/catalogue)"));
                return null;
            }
            return v;
        }

        String pattern(String name, Pattern p, String message) {
            String v = raw(name);
            if (v != null && !p.matcher(v).matches()) {
                errors.add(new FieldError(name, message));
                return null;
            }
            return v;
        }

        Integer integer(String name, int min, int max) {
            String v = raw(name);
            if (v == null) {
                return null;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            errors.add(new FieldError(name, "must be a whole number from " + min + " to " + max));
            return null;
        }

        /** The epsilon of a {@code privacy=dp} request (default 0.5), or null for an exact one. */
        Double privacy() {
            String mode = oneOf("privacy", "dp");
            String e = raw("epsilon");
            if (mode == null) {
                if (e != null) {
                    errors.add(new FieldError("epsilon", "applies only with privacy=dp"));
                }
                return null;
            }
            if (e == null) {
                return DEFAULT_EPSILON;
            }
            try {
                double epsilon = Double.parseDouble(e);
                if (epsilon >= 0.01 && epsilon <= 100) {
                    return epsilon;
                }
            } catch (NumberFormatException ex) {
                // reported below
            }
            errors.add(new FieldError("epsilon", "must be a number from 0.01 to 100"));
            return DEFAULT_EPSILON;
        }

        void require(String name, Object value, String message) {
            if (value == null && raw(name) == null) {
                errors.add(new FieldError(name, message));
            }
        }

        void error(String name, String message) {
            errors.add(new FieldError(name, message));
        }

        String oneOf(String name, String... values) {
            String v = raw(name);
            if (v != null && !List.of(values).contains(v)) {
                errors.add(new FieldError(name, "must be one of " + String.join(", ", values)));
                return null;
            }
            return v;
        }

        /** Answers 400 with every bad parameter (and from after to) if there is any. */
        boolean failed() {
            LocalDate from = dates.get("from");
            LocalDate to = dates.get("to");
            if (from != null && to != null && from.isAfter(to)) {
                errors.add(new FieldError("to", "must not be before from"));
            }
            if (errors.isEmpty()) {
                return false;
            }
            new Problem(
                            "urn:pain-journal:problem:invalid-query",
                            "The query is not valid",
                            400,
                            "See errors: every failing parameter is listed.",
                            errors)
                    .send(ctx);
            return true;
        }
    }
}
