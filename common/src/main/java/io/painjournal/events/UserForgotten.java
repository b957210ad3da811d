package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to forget everything a user contributed ({@code DELETE /v1/users/{userId}}). It travels
 * on the same topic and key as the user's own events, so it is ordered after everything they posted
 * before it.
 */
public record UserForgotten(
        @JsonProperty(required = true) String eventId,
        @JsonProperty(required = true) String userId,
        @JsonProperty(required = true) Instant requestedAt)
        implements JournalEvent {

    public static final String TYPE = "user-forgotten";

    public UserForgotten {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
