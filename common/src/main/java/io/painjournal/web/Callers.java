package io.painjournal.web;

import io.painjournal.auth.Caller;
import io.painjournal.auth.Tokens;
import io.painjournal.validation.EventValidator;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Resolves the {@link Caller} of an authenticated request, once, and keeps it on the context. */
public final class Callers {

    private static final String KEY = "painjournal.caller";

    private Callers() {}

    /**
     * Runs after the JWT handler: a verified token without a usable {@code sub} is still a bad token
     * (401), so handlers behind it can rely on {@link #of}.
     */
    public static Handler<RoutingContext> resolver() {
        return ctx -> Tokens.caller(ctx.user())
                .ifPresentOrElse(
                        caller -> {
                            ctx.put(KEY, caller);
                            ctx.next();
                        },
                        () -> ctx.fail(401));
    }

    private static final java.util.regex.Pattern BEARER = java.util.regex.Pattern.compile("(?i)bearer\\s+\\S+");

    /**
     * Runs before the JWT handler: a missing or empty bearer credential is 401 like every other bad
     * token (the JWT handler alone would answer an empty "Bearer " with 400).
     */
    public static Handler<RoutingContext> requireBearer() {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            if (header == null || !BEARER.matcher(header.trim()).matches()) {
                ctx.fail(401);
                return;
            }
            ctx.next();
        };
    }

    /**
     * The guard of every {@code /v1/users/{userId}} route: that user or an admin (403 otherwise, decided
     * before any data is read, so nothing leaks), and an id that can exist (404). Answers and returns
     * false when the request may not go on.
     */
    public static boolean mayActForPathUser(RoutingContext ctx, String userId) {
        if (!of(ctx).mayActFor(userId)) {
            Problem.of(403, "Forbidden", "Only that user or an admin may do this.")
                    .send(ctx);
            return false;
        }
        if (!EventValidator.isValidUserId(userId)) {
            Problem.of(404, "Not Found", "No user can have that id.").send(ctx);
            return false;
        }
        return true;
    }

    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("route is not behind the authentication handlers");
        }
        return caller;
    }
}
