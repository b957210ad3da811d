package io.painjournal.events;

import io.painjournal.catalogue.Provider;
import java.time.Instant;
import java.util.Objects;

/**
 * A massage session as a companion app logged it. Optional fields are {@code null} when absent;
 * {@code provider} is always set (defaulted from the catalogue).
 */
public record Session(
        String eventId,
        String userId,
        String technique,
        Instant startedAt,
        int durationMinutes,
        int painBefore,
        int painAfter,
        Provider provider,
        Long costCents,
        String currency,
        String bodyArea,
        Intensity intensity,
        String cohort) implements JournalEvent {

    public static final String TYPE = "session";

    public Session {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(technique, "technique");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(provider, "provider");
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@code painBefore − painAfter}; negative when the pain got worse. */
    public int reduction() {
        return painBefore - painAfter;
    }
}
