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

    /** What {@link #hasBearerCredential} accepts (after trimming), as a pattern; the check is written out. */
    static final java.util.regex.Pattern BEARER = java.util.regex.Pattern.compile("(?i)bearer\\s+\\S+");

    /**
     * Runs before the JWT handler: a missing or empty bearer credential is 401 like every other bad
     * token (the JWT handler alone would answer an empty "Bearer " with 400).
     */
    public static Handler<RoutingContext> requireBearer() {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            if (!hasBearerCredential(header)) {
                ctx.fail(401);
                return;
            }
            ctx.next();
        };
    }

    /**
     * Whether an {@code Authorization} header holds a bearer credential: the scheme (any case), white
     * space, then a credential without white space, as {@link #BEARER} says of the trimmed header (written
     * out: every request asks, and the pattern walked the whole token).
     */
    static boolean hasBearerCredential(String header) {
        if (header == null) {
            return false;
        }
        String h = header.trim();
        if (h.length() < 8 || !h.regionMatches(true, 0, "bearer", 0, 6) || !isSpace(h.charAt(6))) {
            return false;
        }
        int i = 7;
        while (isSpace(h.charAt(i))) { // stops before the end: a trimmed header ends in a non-space
            i++;
        }
        for (; i < h.length(); i++) {
            if (isSpace(h.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code \\s} of java.util.regex: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
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
