package io.painjournal.auth;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * How tokens are verified. Exactly one source of keys is in force:
 * <ul>
 *   <li>an HS256 shared secret (development, and a single team issuing its own tokens);</li>
 *   <li>an identity provider's public key in PEM, for RS256 or ES256 tokens;</li>
 *   <li>an identity provider's JWKS URL: its current keys, fetched at start, refreshed every
 *       {@link JwksAuth#REFRESH} and when a token names a key id not seen yet (key rotation).</li>
 * </ul>
 * When an issuer or audience is configured, tokens must carry exactly that {@code iss} / {@code aud}.
 *
 * @param hmacSecret   {@code JWT_SECRET}; when no source is set, the launcher makes a secret
 * @param publicKeyPem {@code JWT_PUBLIC_KEY} (the PEM text) or the contents of {@code JWT_PUBLIC_KEY_FILE}
 * @param jwksUrl      {@code JWT_JWKS_URL}: http(s) address of the identity provider's JSON Web Key Set
 * @param algorithm    {@code JWT_ALGORITHM}: HS256 with a secret; RS256 (default) or ES256 with a PEM key;
 *                     with a JWKS each key's own {@code alg} applies
 * @param issuer       {@code JWT_ISSUER}: the required {@code iss} claim, if any
 * @param audience     {@code JWT_AUDIENCE}: the required {@code aud} claim, if any
 */
public record AuthConfig(
        Optional<String> hmacSecret,
        Optional<String> publicKeyPem,
        Optional<URI> jwksUrl,
        String algorithm,
        Optional<String> issuer,
        Optional<String> audience) {

    public static final String HS256 = "HS256";
    /** Asymmetric algorithms a public key or JWKS may verify (never HS*, never none). */
    public static final Set<String> ASYMMETRIC =
            Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512");

    public AuthConfig {
        int sources =
                (hmacSecret.isPresent() ? 1 : 0) + (publicKeyPem.isPresent() ? 1 : 0) + (jwksUrl.isPresent() ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException(
                    "set one of JWT_SECRET, JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE) and JWT_JWKS_URL, not several");
        }
        if (sources == 0) {
            throw new IllegalArgumentException(
                    "one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or " + "JWT_JWKS_URL is required");
        }
        if (hmacSecret.isPresent() && !HS256.equals(algorithm)) {
            throw new IllegalArgumentException("JWT_SECRET signs HS256 tokens; JWT_ALGORITHM must be HS256");
        }
        if (publicKeyPem.isPresent() && !("RS256".equals(algorithm) || "ES256".equals(algorithm))) {
            throw new IllegalArgumentException("JWT_PUBLIC_KEY verifies RS256 or ES256 tokens, not " + algorithm);
        }
        if (publicKeyPem.isPresent() && !publicKeyPem.get().contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("JWT_PUBLIC_KEY must be a PEM public key "
                    + "(-----BEGIN PUBLIC KEY----- ...), e.g. from `openssl pkey -pubout`");
        }
        if (jwksUrl.isPresent()
                && !("http".equals(jwksUrl.get().getScheme())
                        || "https".equals(jwksUrl.get().getScheme()))) {
            throw new IllegalArgumentException("JWT_JWKS_URL must be an http or https address, not " + jwksUrl.get());
        }
        if (hmacSecret.isPresent() && hmacSecret.get().length() < 32) {
            throw new IllegalArgumentException("JWT_SECRET must be at least 32 characters (256 bits for HS256)");
        }
    }

    public static AuthConfig hmac(String secret) {
        return new AuthConfig(
                Optional.of(secret), Optional.empty(), Optional.empty(), HS256, Optional.empty(), Optional.empty());
    }

    /** Whether this server can issue tokens itself (only with a shared secret). */
    public boolean canIssue() {
        return hmacSecret.isPresent();
    }

    /** Where keys come from, for the start-up log (never the secret itself). */
    public String describe() {
        String source = hmacSecret
                .map(s -> "HS256 shared secret (" + s.length() + " characters)")
                .or(() -> publicKeyPem.map(k -> algorithm + " public key"))
                .orElseGet(() -> "JWKS at " + jwksUrl.orElseThrow());
        return source
                + issuer.map(i -> ", issuer " + i).orElse("")
                + audience.map(a -> ", audience " + a).orElse("");
    }
}
