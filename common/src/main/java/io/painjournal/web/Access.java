package io.painjournal.web;

/**
 * Who may call a route. The guard of each is installed with the route ({@link Routes#mount}), so a
 * handler runs only for a caller its table entry allows.
 */
public enum Access {
    /** Anyone: health, metrics, the OpenAPI document, the dashboard's files. */
    PUBLIC,
    /** Any valid bearer token (user, researcher or admin): every {@code /v1} route is at least this. */
    CALLER,
    /** The user named by the path's {@code :userId}, or an admin (403 before any data is read; 404 for an id no user can have). */
    SELF_OR_ADMIN,
    /** A researcher or an admin. */
    RESEARCHER,
    /** Another instance of this system, with the internal token ({@code X-Internal-Token}). */
    INTERNAL;

    /** Whether the route sits behind the bearer-token authentication of {@code /v1/*}. */
    public boolean needsToken() {
        return this == CALLER || this == SELF_OR_ADMIN || this == RESEARCHER;
    }
}
