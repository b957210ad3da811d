package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.trials.CountedTrial;
import io.painjournal.analytics.trials.TrialAnalysis;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each user's trials as the population of trials counts them (API.md section 8), in store
 * {@code trial-pairs} by pair: made again from the user's trial and sessions whenever one of them changes
 * (a session, a trial, a cancellation), and deleted with the user. Whether a trial counts on a given day
 * (completed, or cancelled, with two complete pairs) is decided when a summary is asked, so a trial counts
 * from the day its last period ends with no new event.
 */
final class TrialRows {

    private final KeyValueStore<String, TrialFact> trials;
    private final KeyValueStore<String, SessionFact> sessions;
    private final KeyValueStore<String, CountedTrial> pairs;

    TrialRows(JournalStores stores) {
        this.trials = stores.trials();
        this.sessions = stores.sessions();
        this.pairs = stores.trialPairs();
    }

    /** Makes the user's rows again from their trials and sessions (nothing to do for a user without trials). */
    void refresh(String userId) {
        for (TrialFact fact : trialsOf(userId)) {
            CountedTrial row = TrialAnalysis.counted(fact, sessionsDuring(userId, fact));
            String key = JournalKeys.trialOfPair(
                    fact.trial().techniques(), userId, fact.trial().trialId());
            if (!row.equals(pairs.get(key))) {
                pairs.put(key, row);
            }
        }
    }

    /** Deletes the user's rows (call before their trials are deleted: the pairs are found through them). */
    void forget(String userId) {
        for (TrialFact fact : trialsOf(userId)) {
            pairs.delete(JournalKeys.trialOfPair(
                    fact.trial().techniques(), userId, fact.trial().trialId()));
        }
    }

    private List<TrialFact> trialsOf(String userId) {
        List<TrialFact> facts = new ArrayList<>();
        try (KeyValueIterator<String, TrialFact> it =
                trials.range(JournalKeys.userFrom(userId), JournalKeys.userTo(userId))) {
            it.forEachRemaining(kv -> facts.add(kv.value));
        }
        return facts;
    }

    /** The user's sessions from the trial's start to the end of its last possible period. */
    private List<SessionFact> sessionsDuring(String userId, TrialFact fact) {
        var t = fact.trial();
        var from = t.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        var to = t.startDate()
                .plusDays((long) t.periodDays() * 2 * t.pairs())
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        List<SessionFact> found = new ArrayList<>();
        try (KeyValueIterator<String, SessionFact> it =
                sessions.range(JournalKeys.timeFrom(userId, from), JournalKeys.timeTo(userId, to))) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }
}
