package io.painjournal.analytics.journal;

import io.painjournal.events.Trial;
import java.time.Instant;

/**
 * A user's trial as analytics keeps it (store "trials", key {@code user|trialId}): the trial as first
 * accepted, and when it was cancelled (null while it was not).
 */
public record TrialFact(Trial trial, Instant cancelledAt) {

    public TrialFact cancel(Instant at) {
        return cancelledAt != null ? this : new TrialFact(trial, at);
    }
}
