package io.painjournal.app.http;

import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.InternalTokens;
import io.painjournal.auth.Tokens;
import io.painjournal.web.Callers;
import io.painjournal.web.RequestIds;
import io.painjournal.web.Route;
import io.painjournal.web.Routes;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.List;

/**
 * Builds the router of the HTTP port: a request id and an access line for every exchange, the filters in
 * front of {@code /v1/*} (body timeout, rate limits, bearer-token authentication), then the route tables,
 * each route behind its guard, and problem+json for every error.
 */
public final class EdgeRouter {

    private EdgeRouter() {}

    /**
     * @param routes the route tables: the operational ones ({@link OperationsRoutes}) and those of each role
     *               this process runs
     */
    public static Router router(
            Vertx vertx, Tokens tokens, List<Route> routes, String internalToken, RateLimits rateLimits) {
        Router router = Router.router(vertx);
        router.route().handler(RequestIds.handler()).handler(AccessLog::handle);
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
        ProblemHandlers.install(router);
        return router;
    }
}
