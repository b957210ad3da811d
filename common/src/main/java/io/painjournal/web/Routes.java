package io.painjournal.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Predicate;

/** Mounts route tables on a router, each route behind the guard its {@link Access} names. */
public final class Routes {

    private Routes() {}

    /**
     * @param internalCaller whether a request comes from another instance (checks {@code X-Internal-Token});
     *                       the bearer-token authentication of {@code /v1/*} must already be on the router
     */
    public static void mount(Router router, List<Route> routes, Predicate<RoutingContext> internalCaller) {
        for (Route r : routes) {
            io.vertx.ext.web.Route route =
                    r.method() == null ? router.route(r.path()) : router.route(r.method(), r.path());
            if (r.jsonBodyLimit() > 0) {
                // uploads off: Vert.x would otherwise make ./file-uploads
                r.contentTypes().forEach(route::consumes);
                route.handler(BodyHandler.create(false).setBodyLimit(r.jsonBodyLimit()));
            }
            Handler<RoutingContext> guard = guard(r.access(), internalCaller);
            if (guard != null) {
                route.handler(guard);
            }
            route.handler(r.handler());
        }
    }

    private static Handler<RoutingContext> guard(Access access, Predicate<RoutingContext> internalCaller) {
        return switch (access) {
            case PUBLIC, CALLER -> null;
            case SELF_OR_ADMIN ->
                ctx -> {
                    if (Callers.mayActForPathUser(ctx, ctx.pathParam("userId"))) {
                        ctx.next();
                    }
                };
            case RESEARCHER ->
                ctx -> {
                    if (Callers.of(ctx).mayResearch()) {
                        ctx.next();
                    } else {
                        Problem.of(403, "Forbidden", "This is for researchers and admins.")
                                .send(ctx);
                    }
                };
            case INTERNAL ->
                ctx -> {
                    if (internalCaller.test(ctx)) {
                        ctx.next();
                    } else {
                        ctx.fail(401);
                    }
                };
        };
    }
}
