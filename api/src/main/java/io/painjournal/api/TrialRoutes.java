package io.painjournal.api;

import io.painjournal.query.AnalyticsQueries;
import io.painjournal.validation.EventValidator;
import io.painjournal.web.Problem;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;

/** The handlers of a user's personal trials: the list, one trial, and its schedule as a calendar. */
record TrialRoutes(AnalyticsQueries queries, Answers answers) {

    /** {@code GET /v1/trials/summary?techniques=a,b}: the population of personal trials of a pair. */
    void summary(RoutingContext ctx) {
        QueryParams params = new QueryParams(ctx);
        java.util.List<String> pair = params.techniquePair("techniques");
        if (!params.failed()) {
            answers.answer(ctx, () -> queries.trialSummary(pair.get(0), pair.get(1)));
        }
    }

    /** {@code GET /v1/users/{userId}/trials}: the user's trials. */
    void trials(RoutingContext ctx) {
        answers.answer(ctx, () -> queries.trials(ctx.pathParam("userId")));
    }

    void trial(RoutingContext ctx) {
        String trialId = trialId(ctx);
        if (trialId != null) {
            answers.answer(ctx, () -> queries.trial(ctx.pathParam("userId"), trialId));
        }
    }

    /**
     * The trial's report for a clinician as a PDF, with the population of trials of its pair; the same answer as
     * the trial's own for errors (404, 503). Rendered off the event loop.
     */
    void report(RoutingContext ctx) {
        String trialId = trialId(ctx);
        if (trialId == null) {
            return;
        }
        queries.trial(ctx.pathParam("userId"), trialId)
                .compose(trial -> queries.trialSummary(
                                trial.techniques().get(0), trial.techniques().get(1))
                        .compose(summary ->
                                ctx.vertx().executeBlocking(() -> TrialReport.pdf(trial, summary, Instant.now()))))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Answers.failed(ctx, ar.cause());
                        return;
                    }
                    ctx.response()
                            .putHeader("Content-Type", TrialReport.CONTENT_TYPE)
                            .putHeader("Cache-Control", "private, no-store")
                            .putHeader("Content-Disposition", "attachment; filename=\"trial-report.pdf\"")
                            .end(io.vertx.core.buffer.Buffer.buffer(ar.result()));
                });
    }

    /** The trial's schedule as iCalendar; the same answer as the trial's own for errors (404, 503). */
    void calendar(RoutingContext ctx) {
        String trialId = trialId(ctx);
        if (trialId == null) {
            return;
        }
        queries.trial(ctx.pathParam("userId"), trialId).onComplete(ar -> {
            if (ar.failed()) {
                Answers.failed(ctx, ar.cause());
                return;
            }
            ctx.response()
                    .putHeader("Content-Type", TrialCalendar.CONTENT_TYPE)
                    .putHeader("Cache-Control", "private, no-cache")
                    .end(TrialCalendar.ics(ar.result(), Instant.now()));
        });
    }

    /** The path's trialId in canonical form, or null after answering 404 (no trial can have that id). */
    private static String trialId(RoutingContext ctx) {
        String id = ctx.pathParam("trialId").toLowerCase(Locale.ROOT);
        if (!EventValidator.isUuid(id)) {
            Problem.of(404, "Not Found", "No such trial: a trialId is a UUID.").send(ctx);
            return null;
        }
        return id;
    }
}
