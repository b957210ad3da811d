package io.painjournal.app;

import java.util.Arrays;
import java.util.Optional;

/** The roles one process can take; {@code ROLES=all} takes every one. */
public enum AppRole {
    INGEST("ingest"),
    ANALYTICS("analytics"),
    API("api");

    private final String id;

    AppRole(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<AppRole> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
