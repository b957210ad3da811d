package io.painjournal.auth;

import java.util.Arrays;
import java.util.Optional;

/** The roles a token's {@code roles} claim may carry (API.md section 3). */
public enum Role {
    USER("user"),
    RESEARCHER("researcher"),
    ADMIN("admin");

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    public static Optional<Role> fromClaim(String claim) {
        return Arrays.stream(values()).filter(r -> r.claim.equals(claim)).findFirst();
    }
}
