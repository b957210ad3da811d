package io.painjournal.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * One row of a role's route table: method ({@code null}: any), path (Vert.x Web syntax), who may call
 * it, and the handler that translates HTTP to the role's service. A route that takes a JSON body says
 * so with {@link #withJsonBody} (or {@link #withBody}, naming the content types it takes): its body is read (at
 * most that many bytes, else 413) before the handler runs, and another content type is 415.
 */
public record Route(
        HttpMethod method,
        String path,
        Access access,
        Handler<RoutingContext> handler,
        long jsonBodyLimit,
        java.util.List<String> contentTypes) {

    public Route {
        if (path.startsWith("/v1/") != access.needsToken()) {
            throw new IllegalArgumentException(path + ": every /v1 route needs a token, and only those do");
        }
        if (path.startsWith("/internal/") != (access == Access.INTERNAL)) {
            throw new IllegalArgumentException(path + ": /internal routes are INTERNAL, and only those");
        }
    }

    public static Route get(String path, Access access, Handler<RoutingContext> handler) {
        return new Route(HttpMethod.GET, path, access, handler, 0, java.util.List.of(Responses.JSON));
    }

    public static Route post(String path, Access access, Handler<RoutingContext> handler) {
        return new Route(HttpMethod.POST, path, access, handler, 0, java.util.List.of(Responses.JSON));
    }

    public static Route delete(String path, Access access, Handler<RoutingContext> handler) {
        return new Route(HttpMethod.DELETE, path, access, handler, 0, java.util.List.of(Responses.JSON));
    }

    /** Any method (for a handler that decides itself, such as static files). */
    public static Route any(String path, Access access, Handler<RoutingContext> handler) {
        return new Route(null, path, access, handler, 0, java.util.List.of(Responses.JSON));
    }

    /** A body of at most {@code limitBytes} of one of these content types (JSON ones: the body is parsed). */
    public Route withBody(long limitBytes, String... types) {
        return new Route(method, path, access, handler, limitBytes, java.util.List.of(types));
    }

    public Route withJsonBody(long limitBytes) {
        return new Route(method, path, access, handler, limitBytes, java.util.List.of(Responses.JSON));
    }

    /** {@code GET /v1/catalogue}, {@code * /ui/*}: how the table prints. */
    @Override
    public String toString() {
        return (method == null ? "*" : method.name()) + " " + path + " (" + access + ")";
    }
}
