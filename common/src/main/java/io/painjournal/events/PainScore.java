package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/** A pain-journal entry. Optional scores are {@code null} when the app did not send them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PainScore(
        @JsonProperty(required = true) String eventId,
        @JsonProperty(required = true) String userId,
        @JsonProperty(required = true) Instant recordedAt,
        @JsonProperty(required = true) int pain,
        Integer sleepQuality,
        Integer stress,
        Integer mood,
        Integer anxiety,
        Boolean headache)
        implements JournalEvent {

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
