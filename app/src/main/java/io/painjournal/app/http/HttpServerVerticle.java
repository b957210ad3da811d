package io.painjournal.app.http;

import io.painjournal.app.HttpLimits;
import io.painjournal.web.Problem;
import io.painjournal.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one HTTP port of the process: its server options and its cap on open connections. Deployed once per
 * event loop; each instance serves its own router ({@link EdgeRouter}).
 */
public final class HttpServerVerticle extends VerticleBase {

    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

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
     * @param routes      builds this instance's router ({@link EdgeRouter#router}); every instance gets its own
     */
    public HttpServerVerticle(
            String host, int port, HttpLimits limits, AtomicInteger connections, Supplier<Router> routes) {
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
                .invalidRequestHandler(ProblemHandlers::invalidRequest)
                .requestHandler(request -> handle(request, router));
        return server.listen();
    }

    /** Stops taking connections, lets requests under way finish (bounded), then closes. */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE);
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

    /** A request on a refused connection is answered 503 and its connection closed; any other is routed. */
    private void handle(HttpServerRequest request, Router router) {
        if (refused.isEmpty()
                || !refused.contains(request.connection().remoteAddress().toString())) {
            router.handle(request);
            return;
        }
        request.response().putHeader("Retry-After", "1");
        ProblemHandlers.answerAndClose(
                request,
                RequestIds.adopt(request.getHeader(RequestIds.HEADER)),
                Problem.of(
                        503,
                        "Service Unavailable",
                        "Too many open connections (HTTP_MAX_CONNECTIONS); retry shortly."));
    }
}
