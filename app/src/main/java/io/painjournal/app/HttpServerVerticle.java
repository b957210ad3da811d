package io.painjournal.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.painjournal.auth.Tokens;
import io.painjournal.web.Callers;
import io.painjournal.web.Problem;
import io.painjournal.web.ReadinessCheck;
import io.painjournal.web.Responses;
import io.painjournal.web.RouteProvider;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of the process. Deployed once per event loop; each instance builds its own router
 * from the operational routes, the authentication in front of {@code /v1/*}, and the routes of every
 * role this process runs. Every error is answered as problem+json.
 */
final class HttpServerVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerVerticle.class);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final Supplier<Router> routes;
    private HttpServer server;

    /** @param routes builds this instance's router ({@link #router}); every instance gets its own */
    HttpServerVerticle(String host, int port, Supplier<Router> routes) {
        this.host = host;
        this.port = port;
        this.routes = routes;
    }

    @Override
    public Future<?> start() {
        Router router = routes.get();
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(host)
                        .setPort(port)
                        .setCompressionSupported(true))
                .requestHandler(router);
        return server.listen();
    }

    /**
     * Every route of the process: operations, authentication in front of {@code /v1/*}, then the routes of
     * each role, and problem+json for every error.
     */
    static Router router(Vertx vertx, Tokens tokens, List<RouteProvider> roles, List<ReadinessCheck> readiness,
                         PrometheusMeterRegistry registry, Buffer openApi) {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(ctx -> ready(ctx, readiness));
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml").end(openApi));
        // Its own route: Vert.x allows no plain handler before an authentication handler on one route.
        router.route("/v1/*").handler(Callers.requireBearer());
        router.route("/v1/*").handler(JWTAuthHandler.create(tokens.provider())).handler(Callers.resolver());
        roles.forEach(role -> role.mount(router));
        installErrorHandlers(router);
        return router;
    }

    /** Stops taking connections, lets requests under way finish (bounded), then closes. */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE);
    }

    private static void ready(RoutingContext ctx, List<ReadinessCheck> readiness) {
        List<Future<Void>> checks = readiness.stream().map(ReadinessCheck::check).toList();
        Future.join(checks).onComplete(ignored -> {
            JsonObject details = new JsonObject();
            boolean up = true;
            for (int i = 0; i < checks.size(); i++) {
                Future<Void> check = checks.get(i);
                up &= check.succeeded();
                details.put(readiness.get(i).name(), check.succeeded() ? "UP" : "DOWN: " + check.cause().getMessage());
            }
            Responses.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details));
        });
    }

    private static void installErrorHandlers(Router router) {
        router.errorHandler(400, ctx -> problem(ctx, 400, "Bad Request", "The request is not valid."));
        router.errorHandler(401, ctx -> {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "Unauthorized",
                    "A valid bearer token is required (missing, malformed, forged or expired token).");
        });
        router.errorHandler(403, ctx -> problem(ctx, 403, "Forbidden", "This token may not do that."));
        router.errorHandler(404, ctx -> problem(ctx, 404, "Not Found", "No such resource: " + ctx.request().path()));
        router.errorHandler(405, ctx -> problem(ctx, 405, "Method Not Allowed",
                ctx.request().method() + " is not supported on " + ctx.request().path()));
        router.errorHandler(413, ctx -> problem(ctx, 413, "Content Too Large",
                "The body is larger than 1 MiB; split the batch."));
        router.errorHandler(415, ctx -> problem(ctx, 415, "Unsupported Media Type",
                "Send the body as Content-Type: application/json."));
        router.errorHandler(500, ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof HttpException http && http.getStatusCode() != 500) {
                problem(ctx, http.getStatusCode(), "Error", http.getPayload());
                return;
            }
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
            problem(ctx, 500, "Internal Server Error", "Something went wrong on our side; it has been logged.");
        });
    }

    private static void problem(RoutingContext ctx, int status, String title, String detail) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Problem.of(status, title, detail).send(ctx);
    }
}
