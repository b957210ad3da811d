package io.painjournal.analytics.journal;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.painjournal.events.Session;
import java.time.Instant;
import java.util.UUID;

/** What analytics keeps of a session: only the fields some statistic needs (nothing else of the user). */
@JsonFormat(shape = JsonFormat.Shape.ARRAY) // in stores: the values in component order, no names
public record SessionFact(
        UUID eventId,
        String technique,
        Instant startedAt,
        int durationMinutes,
        int painBefore,
        int painAfter,
        Long costCents,
        String currency,
        String cohort) {

    public static SessionFact of(Session s) {
        return new SessionFact(
                UUID.fromString(s.eventId()),
                s.technique(),
                s.startedAt(),
                s.durationMinutes(),
                s.painBefore(),
                s.painAfter(),
                s.costCents(),
                s.costCents() == null ? null : s.currency(),
                s.cohort());
    }
}
