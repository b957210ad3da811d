package io.painjournal.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Duration;

/**
 * Remembers tokens that verified, so a dashboard polling with the same token does not pay for a
 * signature check on every request (a quarter of a read's CPU). Only successful verifications are kept,
 * each until the earlier of its own {@code exp} and {@link #MAX_AGE_MS}; failures are never cached, and
 * a token is never accepted past its expiry. A Caffeine cache: at most {@link #MAX_ENTRIES} tokens (the
 * least useful go first), each forgotten at its own deadline.
 */
final class VerifiedTokenCache implements JWTAuth {

    static final long MAX_AGE_MS = 60_000;
    static final int MAX_ENTRIES = 10_000;

    private record Entry(User user, long validUntilMs) {}

    /** The verifier behind the cache. */
    final JWTAuth delegate;

    private final Clock clock;
    final Cache<String, Entry> verified;

    VerifiedTokenCache(JWTAuth delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .ticker(() -> clock.millis() * 1_000_000)
                .expireAfter(Expiry.<String, Entry>writing(
                        (jwt, entry) -> Duration.ofMillis(Math.max(0, entry.validUntilMs() - clock.millis()))))
                .executor(Runnable::run) // upkeep on the caller's thread: no pool of its own
                .recordStats()
                .build();
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
        if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
            return delegate.authenticate(credentials);
        }
        String jwt = token.getToken();
        long now = clock.millis();
        Entry hit = verified.getIfPresent(jwt);
        if (hit != null && now < hit.validUntilMs()) {
            return Future.succeededFuture(hit.user());
        }
        return delegate.authenticate(credentials).onSuccess(user -> {
            Object exp = user.principal().getValue("exp");
            long until = Math.min(now + MAX_AGE_MS, exp instanceof Number n ? n.longValue() * 1000 : Long.MAX_VALUE);
            if (until > now) {
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
