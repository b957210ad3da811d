package io.painjournal.app.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.painjournal.web.Access;
import io.painjournal.web.ReadinessCheck;
import io.painjournal.web.Responses;
import io.painjournal.web.Route;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;

/** The operational routes every process serves, whatever its roles: health, readiness, metrics, OpenAPI. */
public final class OperationsRoutes {

    private OperationsRoutes() {}

    public static List<Route> routes(List<ReadinessCheck> readiness, PrometheusMeterRegistry registry, Buffer openApi) {
        return List.of(
                Route.get(
                        "/health/live",
                        Access.PUBLIC,
                        ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP"))),
                Route.get("/health/ready", Access.PUBLIC, ctx -> ready(ctx, readiness)),
                Route.get("/metrics", Access.PUBLIC, PrometheusScrapingHandler.create(registry)),
                Route.get(
                        "/openapi.yaml",
                        Access.PUBLIC,
                        ctx -> ctx.response()
                                .putHeader("Content-Type", "application/yaml")
                                .end(openApi)));
    }

    /** 200 when every check passes, else 503; each check's state by name either way. */
    private static void ready(RoutingContext ctx, List<ReadinessCheck> readiness) {
        List<Future<Void>> checks =
                readiness.stream().map(ReadinessCheck::check).toList();
        Future.join(checks).onComplete(ignored -> {
            JsonObject details = new JsonObject();
            boolean up = true;
            for (int i = 0; i < checks.size(); i++) {
                Future<Void> check = checks.get(i);
                up &= check.succeeded();
                details.put(
                        readiness.get(i).name(),
                        check.succeeded() ? "UP" : "DOWN: " + check.cause().getMessage());
            }
            Responses.json(
                    ctx,
                    up ? 200 : 503,
                    new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details));
        });
    }
}
