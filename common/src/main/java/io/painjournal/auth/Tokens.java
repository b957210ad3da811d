package io.painjournal.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Creates the JWT verifier, issues local trial tokens and turns a verified token into a {@link Caller}. */
public final class Tokens {

    private final JWTAuth provider;
    private final AuthConfig config;

    public Tokens(Vertx vertx, AuthConfig config) {
        this.config = config;
        PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(config.algorithm());
        if (config.hmacSecret().isPresent()) {
            key.setBuffer(config.hmacSecret().get());
        } else {
            key.setBuffer(config.publicKeyPem().orElseThrow(
                    () -> new IllegalArgumentException("JWT_SECRET or JWT_PUBLIC_KEY is required")));
        }
        // No leeway beyond the library default: expired means expired. "alg: none" is never accepted
        // because only the configured algorithm has a key.
        this.provider = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
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
        return provider.generateToken(new JsonObject().put("sub", subject).put("roles", claim),
                new JWTOptions().setAlgorithm(config.algorithm()).setExpiresInSeconds(expiresInSeconds));
    }

    /** The caller a verified token names, or empty when it lacks a usable {@code sub}. */
    public static Optional<Caller> caller(User user) {
        if (user == null) {
            return Optional.empty();
        }
        JsonObject principal = user.principal();
        Object sub = principal.getValue("sub");
        if (!(sub instanceof String subject) || subject.isEmpty()) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Object claim = principal.getValue("roles");
        if (claim instanceof JsonArray array) {
            for (Object r : array) {
                if (r instanceof String s) {
                    Role.fromClaim(s).ifPresent(roles::add);
                }
            }
        }
        return Optional.of(new Caller(subject, roles));
    }
}
