package io.painjournal.auth;

import java.util.Set;

/**
 * Who made a request, taken from a verified token.
 *
 * @param subject the token's {@code sub}: the caller's own userId
 * @param roles   the roles of the {@code roles} claim (a token naming a role this system does not know
 *                is refused with 401 before a Caller is made)
 */
public record Caller(String subject, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Posting events, reading or deleting a user's data: that user themselves, or an admin. */
    public boolean mayActFor(String userId) {
        return has(Role.ADMIN) || (has(Role.USER) && subject.equals(userId));
    }

    /** Research data (the export): researchers and admins. */
    public boolean mayResearch() {
        return has(Role.RESEARCHER) || has(Role.ADMIN);
    }
}
