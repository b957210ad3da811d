package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code DELETE /v1/users/{userId}/trials/{trialId}}: the trial stops at {@code cancelledAt}; periods
 * after that day are dropped. On the user's key, so it follows the trial. A second one changes nothing.
 */
public record TrialCancelled(
        @JsonProperty(required = true) String eventId,
        @JsonProperty(required = true) String userId,
        @JsonProperty(required = true) String trialId,
        @JsonProperty(required = true) Instant cancelledAt)
        implements JournalEvent {

    public static final String TYPE = "trial-cancelled";

    public TrialCancelled {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(trialId, "trialId");
        Objects.requireNonNull(cancelledAt, "cancelledAt");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
