package io.painjournal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    /** A verifier that counts its calls, accepts tokens starting "good" and refuses expired ones. */
    private static final class CountingVerifier implements JWTAuth {
        final AtomicInteger calls = new AtomicInteger();
        final MutableClock clock;
        final long expSeconds;

        CountingVerifier(MutableClock clock, long expSeconds) {
            this.clock = clock;
            this.expSeconds = expSeconds;
        }

        @Override
        public Future<User> authenticate(Credentials credentials) {
            calls.incrementAndGet();
            String token = ((TokenCredentials) credentials).getToken();
            if (!token.startsWith("good") || clock.millis() >= expSeconds * 1000) {
                return Future.failedFuture("invalid");
            }
            return Future.succeededFuture(
                    User.create(new JsonObject().put("sub", "u").put("exp", expSeconds)));
        }

        @Override
        public String generateToken(JsonObject claims, JWTOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String generateToken(JsonObject claims) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class MutableClock extends Clock {
        long now;

        MutableClock(long now) {
            this.now = now;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aVerifiedTokenIsRememberedButNeverPastItsExpiryOrTheMaximumAge() {
        MutableClock clock = new MutableClock(1_000_000_000L);
        long exp = clock.millis() / 1000 + 300; // five minutes
        CountingVerifier verifier = new CountingVerifier(clock, exp);
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock);
        TokenCredentials good = new TokenCredentials("good-1");

        assertTrue(cache.authenticate(good).succeeded());
        assertTrue(cache.authenticate(good).succeeded());
        assertEquals(1, verifier.calls.get(), "the second request reuses the verification");

        clock.now += VerifiedTokenCache.MAX_AGE_MS;
        assertTrue(cache.authenticate(good).succeeded());
        assertEquals(2, verifier.calls.get(), "re-verified after the maximum age");

        clock.now = exp * 1000; // the token's own expiry
        assertTrue(cache.authenticate(good).failed(), "never accepted past exp, even if remembered");
        assertEquals(3, verifier.calls.get());
    }

    @Test
    void failuresAreNeverRememberedAndTheCacheStaysBounded() {
        MutableClock clock = new MutableClock(1_000_000_000L);
        CountingVerifier verifier = new CountingVerifier(clock, clock.millis() / 1000 + 3600);
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, clock);
        assertTrue(cache.authenticate(new TokenCredentials("forged")).failed());
        assertTrue(cache.authenticate(new TokenCredentials("forged")).failed());
        assertEquals(2, verifier.calls.get(), "every bad token is checked again");

        for (int i = 0; i < VerifiedTokenCache.MAX_ENTRIES + 10; i++) {
            assertTrue(cache.authenticate(new TokenCredentials("good-" + i)).succeeded());
        }
        cache.verified.cleanUp();
        assertTrue(
                cache.verified.estimatedSize() <= VerifiedTokenCache.MAX_ENTRIES,
                "bounded: " + cache.verified.estimatedSize());
        assertTrue(
                cache.verified.estimatedSize() > VerifiedTokenCache.MAX_ENTRIES / 2,
                "full, not started afresh: " + cache.verified.estimatedSize());
    }
}
