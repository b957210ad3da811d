package io.painjournal.app.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request, with its request id: at debug level, or at warn for a 5xx. The path
 * is the matched route's template ({@code /v1/users/:userId/journal}), never the request's own (which
 * may hold a user id or free text).
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

    private AccessLog() {}

    static void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(done -> {
            int status = ctx.response().getStatusCode();
            if (status >= 500 || LOG.isDebugEnabled()) {
                String line = "{} {} {} in {} ms";
                Route route = ctx.currentRoute();
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
}
