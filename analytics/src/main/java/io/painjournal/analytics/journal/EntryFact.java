package io.painjournal.analytics.journal;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.painjournal.events.PainScore;
import java.time.Instant;
import java.util.UUID;

/** A pain-journal entry as analytics keeps it. Optional scores are null when absent. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY) // in stores: the values in component order, no names
public record EntryFact(
        UUID eventId,
        Instant recordedAt,
        int pain,
        Integer sleepQuality,
        Integer stress,
        Integer mood,
        Integer anxiety,
        Boolean headache) {

    public static EntryFact of(PainScore p) {
        return new EntryFact(
                UUID.fromString(p.eventId()),
                p.recordedAt(),
                p.pain(),
                p.sleepQuality(),
                p.stress(),
                p.mood(),
                p.anxiety(),
                p.headache());
    }
}
