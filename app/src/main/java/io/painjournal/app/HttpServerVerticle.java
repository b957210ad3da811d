package io.painjournal.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalTokens;
import io.painjournal.auth.Tokens;
import io.painjournal.web.Access;
import io.painjournal.web.Callers;
import io.painjournal.web.LogSafe;
import io.painjournal.web.Problem;
import io.painjournal.web.ReadinessCheck;
import io.painjournal.web.RequestIds;
import io.painjournal.web.Responses;
import io.painjournal.web.Route;
import io.painjournal.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final HttpLimits limits;
    private final AtomicInteger connections;
    private final Supplier<Router> routes;
    /**
     * The peers ({@code host:port}) of this instance's connections over the limit (an event loop's own, so no
     * locking is needed). By address, not by object: a request's {@code connection()} is not always the object
     * the connection handler saw.
     */
    private final Set<String> refused = new HashSet<>();

    private HttpServer server;

    /**
     * @param connections the open connections of every instance of the process (one counter, shared)
     * @param routes      builds this instance's router ({@link #router}); every instance gets its own
     */
    HttpServerVerticle(String host, int port, HttpLimits limits, AtomicInteger connections, Supplier<Router> routes) {
        this.host = host;
        this.port = port;
        this.limits = limits;
        this.connections = connections;
        this.routes = routes;
    }

    @Override
    public Future<?> start() {
        Router router = routes.get();
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(host)
                        .setPort(port)
                        .setCompressionSupported(true)
                        .setMaxHeaderSize(limits.maxHeaderBytes())
                        .setIdleTimeout((int) limits.idleTimeout().toSeconds())
                        .setIdleTimeoutUnit(TimeUnit.SECONDS))
                .connectionHandler(this::admit)
                .invalidRequestHandler(HttpServerVerticle::invalidRequest)
                .requestHandler(request -> handle(request, router));
        return server.listen();
    }

    /**
     * Counts open connections (from their first bytes: Vert.x sets a connection up when it starts speaking
     * HTTP; one that never does is closed by the idle timeout); one beyond {@code HTTP_MAX_CONNECTIONS} is answered 503 (problem+json,
     * {@code Retry-After}) to its first request and closed, without reaching the routes. (Closing it at once
     * would still serve a request already sent on it: Vert.x closes HTTP connections gracefully.)
     */
    private void admit(HttpConnection connection) {
        if (connections.incrementAndGet() > limits.maxConnections()) {
            connections.decrementAndGet();
            String peer = connection.remoteAddress().toString();
            refused.add(peer);
            connection.closeHandler(closed -> refused.remove(peer));
            return;
        }
        connection.closeHandler(closed -> connections.decrementAndGet());
    }

    private void handle(HttpServerRequest request, Router router) {
        if (refused.isEmpty()
                || !refused.contains(request.connection().remoteAddress().toString())) {
            router.handle(request);
            return;
        }
        request.response()
                .setStatusCode(503)
                .putHeader(RequestIds.HEADER, RequestIds.adopt(request.getHeader(RequestIds.HEADER)))
                .putHeader("Content-Type", Problem.CONTENT_TYPE)
                .putHeader("Retry-After", "1")
                .putHeader("Connection", "close")
                .end(Problem.of(
                                503,
                                "Service Unavailable",
                                "Too many open connections (HTTP_MAX_CONNECTIONS); retry shortly.")
                        .toJson()
                        .toBuffer())
                .onComplete(done -> request.connection().close());
    }

    /**
     * A request the HTTP codec could not read (headers over {@code HTTP_MAX_HEADER_BYTES}, a request line too
     * long, garbage): the status Vert.x would send, as problem+json, and the connection closed.
     */
    private static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException
                ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String detail = switch (status) {
            case 414 -> "The request line is too long.";
            case 431 -> "The request headers are larger than this server takes (HTTP_MAX_HEADER_BYTES).";
            default -> "The request is not valid HTTP.";
        };
        request.response()
                .setStatusCode(status)
                // a new id: the request's own headers may be what could not be read
                .putHeader(RequestIds.HEADER, RequestIds.adopt(null))
                .putHeader("Content-Type", Problem.CONTENT_TYPE)
                .putHeader("Connection", "close")
                .end(Problem.of(status, status == 400 ? "Bad Request" : "Request Too Large", detail)
                        .toJson()
                        .toBuffer())
                .onComplete(done -> request.connection().close());
    }

    /** The operational routes every process serves, whatever its roles. */
    static List<Route> operations(List<ReadinessCheck> readiness, PrometheusMeterRegistry registry, Buffer openApi) {
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

    /**
     * Every route of the process: a request id for every exchange, the filters in front of {@code /v1/*}
     * (body timeout, rate limits, bearer-token authentication), then the route tables ({@code routes}: the
     * operational ones and those of each role this process runs), each route behind its guard, and
     * problem+json for every error.
     */
    static Router router(Vertx vertx, Tokens tokens, List<Route> routes, String internalToken, RateLimits rateLimits) {
        Router router = Router.router(vertx);
        router.route().handler(RequestIds.handler()).handler(HttpServerVerticle::accessLog);
        // A body must arrive and be answered in time (a slow body is 408, its connection closed); reads
        // are not timed, so an export of any size may stream for as long as the client reads.
        Handler<RoutingContext> timeout =
                TimeoutHandler.create(rateLimits.requestTimeout().toMillis(), 408);
        // The filters before authentication on one route: each route costs a match per request.
        router.route("/v1/*")
                .handler(ctx -> {
                    if (ctx.request().method() == HttpMethod.POST) {
                        timeout.handle(ctx);
                    } else {
                        ctx.next();
                    }
                })
                .handler(rateLimits::byAddress)
                .handler(Callers.requireBearer());
        // Its own route: Vert.x allows no plain handler before an authentication handler on one route.
        router.route("/v1/*")
                .handler(JWTAuthHandler.create(tokens.provider()))
                .handler(Callers.resolver())
                .handler(rateLimits::byCaller);
        Routes.mount(
                router,
                routes,
                ctx -> InternalTokens.matches(internalToken, ctx.request().getHeader(InternalApi.TOKEN_HEADER)));
        installErrorHandlers(router);
        return router;
    }

    /**
     * One line per answered request, with its request id: at debug level, or at warn for a 5xx. The path
     * is the matched route's template ({@code /v1/users/:userId/journal}), never the request's own (which
     * may hold a user id or free text).
     */
    private static void accessLog(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(done -> {
            int status = ctx.response().getStatusCode();
            if (status >= 500 || LOG.isDebugEnabled()) {
                String line = "{} {} {} in {} ms";
                io.vertx.ext.web.Route route = ctx.currentRoute();
                String path = route == null || route.getPath() == null ? "(no route)" : route.getPath();
                Object[] args = {ctx.request().method(), path, status, (System.nanoTime() - start) / 1_000_000};
                if (status >= 500) {
                    LOG.warn(line, args);
                } else {
                    LOG.debug(line, args);
                }
            }
        });
        ctx.next();
    }

    /** Stops taking connections, lets requests under way finish (bounded), then closes. */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE);
    }

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

    private static void installErrorHandlers(Router router) {
        router.errorHandler(400, ctx -> problem(ctx, 400, "Bad Request", "The request is not valid."));
        router.errorHandler(401, ctx -> {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(
                    ctx,
                    401,
                    "Unauthorized",
                    "A valid bearer token is required (missing, malformed, forged or expired token).");
        });
        router.errorHandler(403, ctx -> problem(ctx, 403, "Forbidden", "This token may not do that."));
        router.errorHandler(
                404,
                ctx -> problem(
                        ctx,
                        404,
                        "Not Found",
                        "No such resource: " + ctx.request().path()));
        router.errorHandler(
                405,
                ctx -> problem(
                        ctx,
                        405,
                        "Method Not Allowed",
                        ctx.request().method() + " is not supported on "
                                + ctx.request().path()));
        router.errorHandler(408, ctx -> {
            // The rest of the body may never come: answer, then close rather than wait for it.
            ctx.response().putHeader("Connection", "close");
            ctx.response().endHandler(done -> ctx.request().connection().close());
            problem(ctx, 408, "Request Timeout", "The request was not received and answered in time.");
        });
        router.errorHandler(
                413, ctx -> problem(ctx, 413, "Content Too Large", "The body is larger than 1 MiB; split the batch."));
        router.errorHandler(
                415,
                ctx -> problem(ctx, 415, "Unsupported Media Type", "Send the body as Content-Type: application/json."));
        // Any other status: a 4xx of a handler without its own error handler keeps its status; below 400 is
        // Vert.x Web's BodyHandler failing with 200 when the body cannot be read (e.g. a chunk size that is
        // not hexadecimal), which is the client's fault: 400, and the broken connection closed.
        router.uncaughtErrorHandler(ctx -> {
            int status = ctx.statusCode();
            if (status >= 400 && status < 500) {
                problem(
                        ctx,
                        status,
                        HttpResponseStatus.valueOf(status).reasonPhrase(),
                        ctx.failure() == null ? null : ctx.failure().getMessage());
            } else if (status < 400) {
                ctx.response().putHeader("Connection", "close");
                problem(
                        ctx,
                        400,
                        "Bad Request",
                        "The request body could not be read"
                                + (ctx.failure() == null
                                        ? "."
                                        : ": " + ctx.failure().getMessage()));
            } else {
                LOG.error(
                        "unexpected failure {} on {} {}",
                        status,
                        ctx.request().method(),
                        LogSafe.path(ctx.request().path()),
                        ctx.failure());
                problem(ctx, 500, "Internal Server Error", "Something went wrong on our side; it has been logged.");
            }
        });
        router.errorHandler(500, ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof HttpException http && http.getStatusCode() != 500) {
                problem(ctx, http.getStatusCode(), "Error", http.getPayload());
                return;
            }
            LOG.error(
                    "unexpected failure on {} {}",
                    ctx.request().method(),
                    LogSafe.path(ctx.request().path()),
                    failure);
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
