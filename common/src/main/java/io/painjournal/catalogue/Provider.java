package io.painjournal.catalogue;

import java.util.Arrays;
import java.util.Optional;

/** Who gave the massage. Wire names are the lower-case ids of the contract. */
public enum Provider {
    PROFESSIONAL("professional"),
    SELF("self"),
    PARTNER("partner");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Provider> fromId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }
}
