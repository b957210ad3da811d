package io.painjournal.validation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The string formats the event schemas use, each with what a valid text reads as and the message for one
 * that is not: a format's rule and its words live here, the document says which field has which format.
 */
enum Format {
    /** Read as its canonical lower case, so an id is the same key however it was written. */
    UUID("uuid", "must be a UUID, such as 6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11") {
        @Override
        Object read(String text) {
            return Ids.isUuid(text) ? text.toLowerCase(Locale.ROOT) : null;
        }
    },
    /** Read as an {@link java.time.Instant} (the offset applied). */
    DATE_TIME(
            "date-time",
            "must be an RFC 3339 date-time with an offset, such as 2026-11-20T18:30:00Z or 2026-11-21T08:00:00+01:00") {
        @Override
        Object read(String text) {
            return Rfc3339.instant(text);
        }
    },
    /** Read as a {@link java.time.LocalDate}. */
    DATE("date", "must be a date YYYY-MM-DD, such as 2026-12-07") {
        @Override
        Object read(String text) {
            return Rfc3339.date(text);
        }
    };

    private final String id;
    private final String message;

    Format(String id, String message) {
        this.id = id;
        this.message = message;
    }

    /** What {@code text} reads as, or null when it is not of this format. */
    abstract Object read(String text);

    String message() {
        return message;
    }

    /** The format a schema's {@code format} keyword names. */
    static Optional<Format> named(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}
