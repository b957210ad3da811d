package io.painjournal.events;

import java.time.Instant;
import java.util.Objects;

/** A pain-journal entry. Optional scores are {@code null} when the app did not send them. */
public record PainScore(
        String eventId,
        String userId,
        Instant recordedAt,
        int pain,
        Integer sleepQuality,
        Integer stress,
        Integer mood,
        Integer anxiety,
        Boolean headache) implements JournalEvent {

    public static final String TYPE = "pain-score";

    public PainScore {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
