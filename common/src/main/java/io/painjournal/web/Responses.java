package io.painjournal.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers for the JSON answers of every role. */
public final class Responses {

    public static final String JSON = "application/json";

    private Responses() {}

    public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
        return ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .end(body.toBuffer());
    }

    /** 503 with {@code Retry-After}: the request may be repeated as it is once the dependency is back. */
    public static Future<Void> unavailable(RoutingContext ctx, int retryAfterSeconds, String detail) {
        ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        return Problem.of(503, "Service Unavailable", detail).send(ctx);
    }
}
