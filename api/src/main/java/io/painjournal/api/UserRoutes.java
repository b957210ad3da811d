package io.painjournal.api;

import io.painjournal.catalogue.Catalogue;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.query.Results;
import io.painjournal.web.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The handlers of the techniques and their trends, for everyone and for one user, the user's journal and the
 * user's own export (NDJSON or FHIR).
 */
record UserRoutes(AnalyticsQueries queries, Answers answers) {

    static final int EXPORT_PAGE = 500;

    /** {@code GET /v1/techniques}: the population's techniques. */
    void techniques(RoutingContext ctx) {
        answers.answer(ctx, queries::population);
    }

    void techniqueTrend(RoutingContext ctx) {
        String technique = ctx.pathParam("technique");
        if (!Catalogue.contains(technique)) {
            Problem.of(404, "Not Found", "'" + technique + "' is not a technique of the catalogue (GET /v1/catalogue).")
                    .send(ctx);
            return;
        }
        QueryParams q = new QueryParams(ctx);
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        if (q.failed()) {
            return;
        }
        answers.answer(ctx, () -> queries.trend(technique, from, to));
    }

    /** {@code GET /v1/users/{userId}/techniques}: the user's own techniques. */
    void personal(RoutingContext ctx) {
        answers.answer(ctx, () -> queries.personal(ctx.pathParam("userId")));
    }

    void personalTrend(RoutingContext ctx) {
        QueryParams q = new QueryParams(ctx);
        String technique = q.technique("technique", false);
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        if (q.failed()) {
            return;
        }
        answers.answer(ctx, () -> queries.personalTrend(ctx.pathParam("userId"), technique, from, to));
    }

    void journal(RoutingContext ctx) {
        QueryParams q = new QueryParams(ctx);
        LocalDate from = q.date("from");
        LocalDate to = q.date("to");
        if (q.failed()) {
            return;
        }
        answers.answer(ctx, () -> queries.journal(ctx.pathParam("userId"), from, to));
    }

    /**
     * {@code GET /v1/users/{userId}/export?format=ndjson|fhir}: every accepted event of the user, page by page from
     * their state (one page in memory), as NDJSON lines or one FHIR Bundle. The first page decides the status.
     */
    void export(RoutingContext ctx) {
        QueryParams q = new QueryParams(ctx);
        String format = q.oneOf("format", "ndjson", "fhir");
        if (q.failed()) {
            return;
        }
        String userId = ctx.pathParam("userId");
        boolean fhir = "fhir".equals(format);
        new PagedStream<Results.ExportPage>(
                        "export",
                        after -> queries.export(userId, after, EXPORT_PAGE),
                        page -> exportChunk(page, userId, fhir),
                        Results.ExportPage::next,
                        fhir ? FhirExport.TAIL : "")
                .start(ctx, () -> {
                    ctx.response()
                            .setChunked(true)
                            .putHeader("Content-Type", fhir ? FhirExport.CONTENT_TYPE : "application/x-ndjson")
                            .putHeader("Cache-Control", "no-store")
                            .putHeader(
                                    "Content-Disposition",
                                    "attachment; filename=\"pain-journal-" + userId + (fhir ? ".fhir.json" : ".ndjson")
                                            + "\"");
                    if (fhir) {
                        ctx.response().write(FhirExport.head(userId, Instant.now()));
                    }
                });
    }

    /** A page of the export: NDJSON lines, or the Bundle's entries, each after a comma. */
    private static String exportChunk(Results.ExportPage page, String userId, boolean fhir) {
        StringBuilder chunk = new StringBuilder();
        String patient = FhirExport.patientUrl(userId);
        for (String line : page.events()) {
            if (!fhir) {
                chunk.append(line).append('\n');
                continue;
            }
            JournalEvent event = EventCodec.decode(line.getBytes(StandardCharsets.UTF_8));
            for (JsonObject entry : FhirExport.entries(event, patient)) {
                chunk.append(',').append(entry.encode());
            }
        }
        return chunk.toString();
    }
}
