package io.painjournal.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens that verified, so a dashboard polling with the same token does not pay for a
 * signature check on every request (a quarter of a read's CPU). Only successful verifications are kept,
 * each until the earlier of its own {@code exp} and {@link #MAX_AGE_MS}; failures are never cached, and
 * a token is never accepted past its expiry. The cache is bounded: when full, it starts afresh.
 */
final class VerifiedTokenCache implements JWTAuth {

    static final long MAX_AGE_MS = 60_000;
    static final int MAX_ENTRIES = 10_000;

    private record Entry(User user, long validUntilMs) {
    }

    /** The verifier behind the cache. */
    final JWTAuth delegate;
    private final Clock clock;
    private final Map<String, Entry> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(JWTAuth delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
        if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
            return delegate.authenticate(credentials);
        }
        String jwt = token.getToken();
        long now = clock.millis();
        Entry hit = verified.get(jwt);
        if (hit != null) {
            if (now < hit.validUntilMs()) {
                return Future.succeededFuture(hit.user());
            }
            verified.remove(jwt, hit);
        }
        return delegate.authenticate(credentials).onSuccess(user -> {
            Object exp = user.principal().getValue("exp");
            long until = Math.min(now + MAX_AGE_MS, exp instanceof Number n ? n.longValue() * 1000 : Long.MAX_VALUE);
            if (until > now) {
                if (verified.size() >= MAX_ENTRIES) {
                    verified.clear();
                }
                verified.put(jwt, new Entry(user, until));
            }
        });
    }

    @Override
    public String generateToken(JsonObject claims, JWTOptions options) {
        return delegate.generateToken(claims, options);
    }

    @Override
    public String generateToken(JsonObject claims) {
        return delegate.generateToken(claims);
    }
}
