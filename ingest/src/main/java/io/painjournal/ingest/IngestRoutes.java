package io.painjournal.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.auth.Caller;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import io.painjournal.ingest.cloudevents.CloudEventsIn;
import io.painjournal.validation.EventValidator;
import io.painjournal.validation.FieldError;
import io.painjournal.validation.Validated;
import io.painjournal.web.Access;
import io.painjournal.web.Callers;
import io.painjournal.web.Problem;
import io.painjournal.web.Responses;
import io.painjournal.web.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest role's HTTP surface (API.md section 2): parses, validates and authorises, then hands the
 * events to {@link IngestService} and translates its outcome. No business logic lives here.
 */
public final class IngestRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);

    /** Largest accepted body: 1 MiB (413 above). */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /** Most events in one batch. */
    public static final int MAX_BATCH = 1000;

    static final int RETRY_AFTER_SECONDS = 5;
    static final String NOT_YOURS = "must be your own userId (the token's sub) unless you are an admin";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The random order of a trial's pairs (API.md section 5: a cryptographic source). */
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final IngestService service;
    private final EventValidator validator;
    private final IngestMetrics metrics;

    public IngestRoutes(IngestService service, EventValidator validator, MeterRegistry registry) {
        this.service = service;
        this.validator = validator;
        this.metrics = new IngestMetrics(registry);
    }

    /** The ingest role's route table. */
    public List<Route> routes() {
        return List.of(
                Route.post(
                                "/v1/sessions",
                                Access.CALLER,
                                ctx -> single(ctx, Session.TYPE, "eventId", validator::session))
                        .withJsonBody(MAX_BODY_BYTES),
                Route.post(
                                "/v1/pain-scores",
                                Access.CALLER,
                                ctx -> single(ctx, PainScore.TYPE, "eventId", validator::painScore))
                        .withJsonBody(MAX_BODY_BYTES),
                Route.post("/v1/events", Access.CALLER, this::events)
                        .withBody(MAX_BODY_BYTES, Responses.JSON, CloudEventsIn.STRUCTURED, CloudEventsIn.BATCH),
                Route.delete("/v1/users/:userId", Access.SELF_OR_ADMIN, this::forget),
                Route.post("/v1/users/:userId/trials", Access.SELF_OR_ADMIN, this::startTrial)
                        .withJsonBody(MAX_BODY_BYTES),
                Route.delete("/v1/users/:userId/trials/:trialId", Access.SELF_OR_ADMIN, this::cancelTrial));
    }

    /**
     * {@code POST /v1/users/{userId}/trials}: validated (every failing field), the order of each pair drawn
     * from a cryptographic source, then submitted like any event: 202 once Kafka has it, 200 duplicate on a
     * re-post of the same trialId (whose first order stands).
     */
    private void startTrial(RoutingContext ctx) {
        single(ctx, Trial.TYPE, "trialId", node -> validator.trial(ctx.pathParam("userId"), node, RANDOM));
    }

    /** {@code DELETE /v1/users/{userId}/trials/{trialId}}: 202 once Kafka has it; 404 for an unknown trial. */
    private void cancelTrial(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        String trialId = ctx.pathParam("trialId").toLowerCase(java.util.Locale.ROOT);
        if (!io.painjournal.validation.EventValidator.isUuid(trialId)) {
            Problem.invalid(List.of(new FieldError("trialId", "must be a UUID")))
                    .send(ctx);
            return;
        }
        service.cancelTrial(userId, trialId).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
            } else if (!ar.result()) {
                Problem.of(404, "Not Found", "No trial " + trialId + " of this user.")
                        .send(ctx);
            } else {
                Responses.json(
                        ctx, 202, new JsonObject().put("trialId", trialId).put("status", "accepted"));
            }
        });
    }

    /** {@code DELETE /v1/users/{userId}}: that user or an admin; 202 once Kafka has the request. */
    private void forget(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        service.forget(userId).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            Responses.json(ctx, 202, new JsonObject().put("userId", userId).put("status", "accepted"));
        });
    }

    /**
     * One event posted on its own: parsed, validated, authorised, submitted; 202 accepted or 200 duplicate,
     * naming the event by {@code idField} ({@code eventId}, or {@code trialId} for a trial).
     */
    private void single(
            RoutingContext ctx,
            String type,
            String idField,
            Function<JsonNode, Validated<? extends JournalEvent>> validate) {
        if (refusedEarly(ctx)) {
            return;
        }
        JsonNode node = parse(ctx);
        if (node == null) {
            metrics.rejected(type, IngestMetrics.Reason.MALFORMED, 1);
            return;
        }
        submitOne(ctx, type, idField, validate.apply(node));
    }

    /** A checked event on its own: 400 with its errors, 403 if not the caller's, else submitted (202 or 200). */
    private void submitOne(RoutingContext ctx, String type, String idField, Validated<? extends JournalEvent> checked) {
        if (checked instanceof Validated.Invalid<? extends JournalEvent> invalid) {
            metrics.rejected(type, IngestMetrics.Reason.INVALID, 1);
            Problem.invalid(invalid.errors()).send(ctx);
            return;
        }
        JournalEvent event = ((Validated.Valid<? extends JournalEvent>) checked).value();
        if (!Callers.of(ctx).mayActFor(event.userId())) {
            metrics.rejected(type, IngestMetrics.Reason.NOT_YOURS, 1);
            Problem.of(403, "Forbidden", "userId " + NOT_YOURS + ".").send(ctx);
            return;
        }
        service.submit(List.of(event)).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            IngestService.Outcome outcome = ar.result().get(0);
            metrics.outcome(event, outcome);
            boolean accepted = outcome == IngestService.Outcome.ACCEPTED;
            Responses.json(
                    ctx,
                    accepted ? 202 : 200,
                    new JsonObject().put(idField, event.eventId()).put("status", status(outcome)));
        });
    }

    /**
     * {@code POST /v1/events}: the contract's batch, or CloudEvents in any of their three modes (API.md section 2):
     * a structured or binary event is answered like the single endpoints, a batch of them like the batch.
     */
    private void events(RoutingContext ctx) {
        if (refusedEarly(ctx)) {
            return;
        }
        String contentType = ctx.request().getHeader("Content-Type");
        switch (CloudEventsIn.mode(contentType, ctx.request().getHeader("ce-specversion") != null)) {
            case NONE -> batch(ctx, false);
            case BATCH -> batch(ctx, true);
            case STRUCTURED -> {
                JsonNode node = parse(ctx);
                if (node == null) {
                    metrics.rejected("unknown", IngestMetrics.Reason.MALFORMED, 1);
                    return;
                }
                oneCloudEvent(ctx, CloudEventsIn.structured(node));
            }
            case BINARY -> {
                Map<String, String> headers = new java.util.HashMap<>();
                ctx.request().headers().forEach(h -> {
                    String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
                    if (name.startsWith("ce-")) {
                        headers.put(name, h.getValue());
                    }
                });
                Buffer body = ctx.body().buffer();
                oneCloudEvent(
                        ctx, CloudEventsIn.binary(headers, contentType, body == null ? new byte[0] : body.getBytes()));
            }
        }
    }

    private void oneCloudEvent(RoutingContext ctx, CloudEventsIn.Item item) {
        Validated<? extends JournalEvent> checked = checkedData(item);
        submitOne(
                ctx, item.node() == null ? "unknown" : item.node().path("type").asText(), "eventId", checked);
    }

    /** A CloudEvent's batch item validated like any; the errors of {@code data}'s fields are named {@code data.…}. */
    private Validated<? extends JournalEvent> checkedData(CloudEventsIn.Item item) {
        if (item.node() == null) {
            return new Validated.Invalid<>(item.errors());
        }
        Validated<? extends JournalEvent> checked = validator.batchItem(item.node());
        if (checked instanceof Validated.Invalid<? extends JournalEvent> invalid) {
            return new Validated.Invalid<>(invalid.errors().stream()
                    .map(e -> new FieldError("data." + e.field(), e.message()))
                    .toList());
        }
        return checked;
    }

    private void batch(RoutingContext ctx, boolean cloudEvents) {
        JsonNode node = parse(ctx);
        if (node == null) {
            metrics.rejected("unknown", IngestMetrics.Reason.MALFORMED, 1);
            return;
        }
        if (!node.isArray() || node.size() > MAX_BATCH) {
            metrics.rejected("unknown", IngestMetrics.Reason.MALFORMED, node.isArray() ? node.size() : 1);
            new Problem(
                            Problem.VALIDATION_TYPE,
                            "The batch is not valid",
                            400,
                            "The body must be a JSON array of at most " + MAX_BATCH + " events; it has "
                                    + (node.isArray() ? node.size() + " items." : "a " + node.getNodeType() + "."),
                            List.of())
                    .send(ctx);
            return;
        }
        Caller caller = Callers.of(ctx);
        int size = node.size();
        List<List<FieldError>> errors = new ArrayList<>(size);
        List<JournalEvent> valid = new ArrayList<>();
        JsonNode items = node;
        List<Validated<? extends JournalEvent>> all = new ArrayList<>(size);
        if (cloudEvents) { // each judged on its own; a rejected one is named by the eventId its source and id give
            com.fasterxml.jackson.databind.node.ArrayNode ids = JSON.createArrayNode();
            for (JsonNode event : node) {
                CloudEventsIn.Item item = CloudEventsIn.structured(event);
                ids.addObject().put("eventId", item.eventId());
                all.add(checkedData(item));
            }
            items = ids;
        } else {
            node.forEach(item -> all.add(validator.batchItem(item)));
        }
        for (int i = 0; i < size; i++) {
            Validated<? extends JournalEvent> checked = all.get(i);
            if (checked instanceof Validated.Invalid<? extends JournalEvent> invalid) {
                metrics.rejected(node.get(i).path("type").asText(""), IngestMetrics.Reason.INVALID, 1);
                errors.add(invalid.errors());
                continue;
            }
            JournalEvent event = ((Validated.Valid<? extends JournalEvent>) checked).value();
            if (!caller.mayActFor(event.userId())) {
                metrics.rejected(event.type(), IngestMetrics.Reason.NOT_YOURS, 1);
                errors.add(List.of(new FieldError("userId", NOT_YOURS)));
                continue;
            }
            errors.add(null);
            valid.add(event);
        }
        JsonNode named = items;
        service.submit(valid).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            for (int i = 0; i < valid.size(); i++) {
                metrics.outcome(valid.get(i), ar.result().get(i));
            }
            JsonArray results = batchResults(named, errors, valid, ar.result());
            Responses.json(ctx, 200, new JsonObject().put("results", results));
        });
    }

    /**
     * One result per posted item, in order: {@code {index, eventId, status, errors}}. {@code errors}
     * holds each item's failures ({@code null} for a valid item); {@code valid} and {@code outcomes}
     * are the valid items and their outcomes, in the same order as they appear among the items.
     */
    static JsonArray batchResults(
            JsonNode items,
            List<List<FieldError>> errors,
            List<JournalEvent> valid,
            List<IngestService.Outcome> outcomes) {
        JsonArray results = new JsonArray();
        int next = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonObject result = new JsonObject().put("index", i);
            if (errors.get(i) != null) {
                JsonNode id = items.get(i).path("eventId");
                result.put("eventId", id.isTextual() ? id.asText() : null)
                        .put("status", "rejected")
                        .put("errors", Problem.errorsJson(errors.get(i)));
            } else {
                result.put("eventId", valid.get(next).eventId())
                        .put("status", status(outcomes.get(next++)))
                        .put("errors", new JsonArray());
            }
            results.add(result);
        }
        return results;
    }

    /** The request body as JSON, or {@code null} after answering 400. */
    private static JsonNode parse(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            Problem.malformed("The body is empty; a JSON value is expected.").send(ctx);
            return null;
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            Problem.malformed(e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr() + ")"))
                    .send(ctx);
            return null;
        } catch (IOException e) {
            Problem.malformed(e.getMessage()).send(ctx);
            return null;
        }
    }

    /**
     * Admission control answers before the body is parsed and validated: a refusal then costs little, which
     * leaves the CPU to the analytics it waits for (IngestService checks again at submission).
     */
    private boolean refusedEarly(RoutingContext ctx) {
        String refusal = service.admission().refusal();
        if (refusal == null) {
            return false;
        }
        failed(ctx, new OverloadedException(refusal));
        return true;
    }

    private static void failed(RoutingContext ctx, Throwable cause) {
        if (cause instanceof OverloadedException) {
            Responses.unavailable(
                    ctx,
                    1,
                    "Ingest cannot take more events right now: " + cause.getMessage() + " Nothing of this request"
                            + " was sent, so retrying it loses nothing.");
        } else if (cause instanceof PublishFailedException) {
            LOG.warn("answering 503: {}", cause.getMessage());
            Responses.unavailable(
                    ctx,
                    RETRY_AFTER_SECONDS,
                    "Kafka could not store the events in time; nothing of this request is lost by retrying it.");
        } else {
            ctx.fail(cause);
        }
    }

    private static String status(IngestService.Outcome outcome) {
        return outcome == IngestService.Outcome.ACCEPTED ? "accepted" : "duplicate";
    }
}
