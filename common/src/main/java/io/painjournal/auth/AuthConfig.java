package io.painjournal.auth;

import java.util.Optional;

/**
 * How tokens are verified. Exactly one of the two ways is in force: an HS256 shared secret, or a
 * public key (PEM) for RS256/ES256 tokens issued elsewhere.
 *
 * @param hmacSecret   {@code JWT_SECRET}; when neither it nor a public key is set, the launcher makes one
 * @param publicKeyPem {@code JWT_PUBLIC_KEY}: a PEM public key for RS256 or ES256
 * @param algorithm    {@code JWT_ALGORITHM}: HS256 for the secret; RS256 (default) or ES256 with a key
 */
public record AuthConfig(Optional<String> hmacSecret, Optional<String> publicKeyPem, String algorithm) {

    public static final String HS256 = "HS256";

    public AuthConfig {
        if (hmacSecret.isPresent() && publicKeyPem.isPresent()) {
            throw new IllegalArgumentException("set JWT_SECRET or JWT_PUBLIC_KEY, not both");
        }
        if (hmacSecret.isPresent() && !HS256.equals(algorithm)) {
            throw new IllegalArgumentException("JWT_SECRET signs HS256 tokens; JWT_ALGORITHM must be HS256");
        }
        if (publicKeyPem.isPresent() && !("RS256".equals(algorithm) || "ES256".equals(algorithm))) {
            throw new IllegalArgumentException("JWT_PUBLIC_KEY verifies RS256 or ES256 tokens, not " + algorithm);
        }
        if (hmacSecret.isPresent() && hmacSecret.get().length() < 32) {
            throw new IllegalArgumentException("JWT_SECRET must be at least 32 characters (256 bits for HS256)");
        }
    }

    public static AuthConfig hmac(String secret) {
        return new AuthConfig(Optional.of(secret), Optional.empty(), HS256);
    }

    /** Whether this server can issue tokens itself (only with a shared secret). */
    public boolean canIssue() {
        return hmacSecret.isPresent();
    }
}
