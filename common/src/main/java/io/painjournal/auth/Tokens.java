package io.painjournal.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Creates the JWT verifier, issues local trial tokens and turns a verified token into a {@link Caller}. */
public final class Tokens {

    private final VerifiedTokenCache provider;
    private final AuthConfig config;

    /** With a shared secret or a PEM public key (for a JWKS use {@link #create}). */
    public Tokens(Vertx vertx, AuthConfig config) {
        this(
                config,
                JWTAuth.create(
                        vertx,
                        new JWTAuthOptions().addPubSecKey(staticKey(config)).setJWTOptions(verification(config))));
    }

    private Tokens(AuthConfig config, JWTAuth provider) {
        this.config = config;
        this.provider = new VerifiedTokenCache(provider, java.time.Clock.systemUTC());
    }

    /** Exports the verified-token cache's figures ({@code cache_*{cache="verified-tokens"}}). */
    public void bindMetrics(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, provider.verified, "verified-tokens");
    }

    /** Any source of keys; with a JWKS the future completes once the key set has been read. */
    public static Future<Tokens> create(Vertx vertx, AuthConfig config) {
        if (config.jwksUrl().isPresent()) {
            return JwksAuth.start(vertx, config.jwksUrl().get(), verification(config))
                    .map(jwks -> new Tokens(config, jwks));
        }
        return Future.succeededFuture(new Tokens(vertx, config));
    }

    private static PubSecKeyOptions staticKey(AuthConfig config) {
        PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(config.algorithm());
        // Only the configured algorithm has a key, so "alg: none" and algorithm swaps are never accepted.
        return key.setBuffer(config.hmacSecret()
                .or(config::publicKeyPem)
                .orElseThrow(() -> new IllegalArgumentException("JWT_SECRET or JWT_PUBLIC_KEY is required here")));
    }

    /** What every token must satisfy besides its signature: expiry (no extra leeway), issuer, audience. */
    private static JWTOptions verification(AuthConfig config) {
        JWTOptions options = new JWTOptions();
        config.issuer().ifPresent(options::setIssuer);
        config.audience().ifPresent(a -> options.setAudience(List.of(a)));
        return options;
    }

    public JWTAuth provider() {
        return provider;
    }

    /** Issues a token (only possible with a shared secret: the local-trial and test path). */
    public String issue(String subject, Set<Role> roles, int expiresInSeconds) {
        if (!config.canIssue()) {
            throw new IllegalStateException("this server verifies tokens with a public key and cannot issue them");
        }
        JsonArray claim = new JsonArray();
        roles.forEach(r -> claim.add(r.claim()));
        // The issuer and audience this server requires, so that its own tokens verify here.
        JWTOptions options =
                verification(config).setAlgorithm(config.algorithm()).setExpiresInSeconds(expiresInSeconds);
        return provider.generateToken(new JsonObject().put("sub", subject).put("roles", claim), options);
    }

    /**
     * The caller a verified token names, or empty (a bad token, 401) when it lacks a usable {@code sub} or
     * its {@code roles} claim is not an array of known roles: a token naming a role this service does not
     * know was made for something else, and is not quietly read as one with fewer rights.
     */
    public static Optional<Caller> caller(User user) {
        if (user == null) {
            return Optional.empty();
        }
        JsonObject principal = user.principal();
        Object sub = principal.getValue("sub");
        if (!(sub instanceof String subject) || subject.isEmpty()) {
            return Optional.empty();
        }
        if (!(principal.getValue("roles") instanceof JsonArray claim)) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object r : claim) {
            Optional<Role> role = r instanceof String s ? Role.fromClaim(s) : Optional.empty();
            if (role.isEmpty()) {
                return Optional.empty();
            }
            roles.add(role.get());
        }
        return Optional.of(new Caller(subject, roles));
    }
}
