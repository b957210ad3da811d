package io.painjournal.web;

import io.painjournal.auth.Caller;
import io.painjournal.auth.Tokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Resolves the {@link Caller} of an authenticated request, once, and keeps it on the context. */
public final class Callers {

    private static final String KEY = "painjournal.caller";

    private Callers() {
    }

    /**
     * Runs after the JWT handler: a verified token without a usable {@code sub} is still a bad token
     * (401), so handlers behind it can rely on {@link #of}.
     */
    public static Handler<RoutingContext> resolver() {
        return ctx -> Tokens.caller(ctx.user()).ifPresentOrElse(caller -> {
            ctx.put(KEY, caller);
            ctx.next();
        }, () -> ctx.fail(401));
    }

    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("route is not behind the authentication handlers");
        }
        return caller;
    }
}
