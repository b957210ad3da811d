package io.painjournal.events;

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

    public String id() {
        return id;
    }

    public static Optional<Intensity> fromId(String id) {
        return Arrays.stream(values()).filter(i -> i.id.equals(id)).findFirst();
    }
}
