package io.painjournal.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.painjournal.catalogue.Provider;
import java.time.Instant;
import java.util.Objects;

/**
 * A massage session as a companion app logged it. Optional fields are {@code null} when absent;
 * {@code provider} is always set (defaulted from the catalogue). On the journal topic, the
 * {@code @JsonProperty(required = true)} fields must be there; optional ones are left out when null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Session(
        @JsonProperty(required = true) String eventId,
        @JsonProperty(required = true) String userId,
        @JsonProperty(required = true) String technique,
        @JsonProperty(required = true) Instant startedAt,
        @JsonProperty(required = true) int durationMinutes,
        @JsonProperty(required = true) int painBefore,
        @JsonProperty(required = true) int painAfter,
        @JsonProperty(required = true) Provider provider,
        Long costCents,
        String currency,
        String bodyArea,
        Intensity intensity,
        String cohort)
        implements JournalEvent {

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
}
