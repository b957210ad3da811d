package io.painjournal.web;

import io.painjournal.validation.FieldError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * An RFC 9457 problem detail. Every error this server answers is one of these, as
 * {@code application/problem+json}.
 *
 * @param type   a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title  a short, fixed summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong this time (may be {@code null})
 * @param errors the failing fields of a rejected event (empty otherwise)
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String VALIDATION_TYPE = "urn:pain-journal:problem:invalid-event";
    public static final String MALFORMED_TYPE = "urn:pain-journal:problem:malformed-json";

    public Problem {
        errors = List.copyOf(errors);
    }

    /** A problem whose status says it all (401, 404, 413, ...). */
    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, List.of());
    }

    public static Problem invalid(List<FieldError> errors) {
        return new Problem(
                VALIDATION_TYPE, "The event is not valid", 400, "See errors: every failing field is listed.", errors);
    }

    public static Problem malformed(String detail) {
        return new Problem(MALFORMED_TYPE, "The body is not well-formed JSON", 400, detail, List.of());
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status);
        if (detail != null) {
            json.put("detail", detail);
        }
        if (!errors.isEmpty()) {
            json.put("errors", errorsJson(errors));
        }
        return json;
    }

    /** Field errors as {@code [{"field": …, "message": …}]}, in problem bodies and batch results alike. */
    public static JsonArray errorsJson(List<FieldError> errors) {
        JsonArray list = new JsonArray();
        errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
        return list;
    }

    /** Ends the exchange with this problem. */
    public Future<Void> send(RoutingContext ctx) {
        return ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(toJson().toBuffer());
    }
}
