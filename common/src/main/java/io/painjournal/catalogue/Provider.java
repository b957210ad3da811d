package io.painjournal.catalogue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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

    @JsonValue
    public String id() {
        return id;
    }

    /** The provider of a journal record: an unknown id is a corrupt record. */
    @JsonCreator
    static Provider ofId(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException("unknown provider"));
    }

    public static Optional<Provider> fromId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }
}
