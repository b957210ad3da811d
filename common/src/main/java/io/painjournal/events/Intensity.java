package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How firm a session was, as the user felt it. */
public enum Intensity {
    LIGHT("light"),
    MODERATE("moderate"),
    DEEP("deep");

    private final String id;

    Intensity(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** The intensity of a journal record: an id this version does not know reads as absent. */
    @JsonCreator
    static Intensity ofId(String id) {
        return fromId(id).orElse(null);
    }

    public static Optional<Intensity> fromId(String id) {
        return Arrays.stream(values()).filter(i -> i.id.equals(id)).findFirst();
    }
}
