package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.stats.Stats;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The stores of one task of the {@link JournalProcessor}, looked up when it starts (what each holds: {@link AnalyticsTopology}). */
record JournalStores(
        KeyValueStore<String, byte[]> keys,
        KeyValueStore<String, byte[]> pending,
        KeyValueStore<String, byte[]> userKeys,
        KeyValueStore<String, Stats> aggregates,
        KeyValueStore<String, byte[]> seen,
        KeyValueStore<String, SessionFact> sessions,
        KeyValueStore<String, EntryFact> entries,
        KeyValueStore<String, Stats> contributions,
        KeyValueStore<String, TrialFact> trials,
        KeyValueStore<String, io.painjournal.analytics.trials.CountedTrial> trialPairs,
        KeyValueStore<String, String> members,
        KeyValueStore<String, byte[]> events) {

    static JournalStores of(ProcessorContext<String, byte[]> context) {
        return new JournalStores(
                context.getStateStore(AnalyticsTopology.KEYS_STORE),
                context.getStateStore(AnalyticsTopology.PENDING_STORE),
                context.getStateStore(AnalyticsTopology.USER_KEYS_STORE),
                context.getStateStore(AnalyticsTopology.AGGREGATES_STORE),
                context.getStateStore(AnalyticsTopology.SEEN_STORE),
                context.getStateStore(AnalyticsTopology.SESSIONS_STORE),
                context.getStateStore(AnalyticsTopology.ENTRIES_STORE),
                context.getStateStore(AnalyticsTopology.CONTRIBUTIONS_STORE),
                context.getStateStore(AnalyticsTopology.TRIALS_STORE),
                context.getStateStore(AnalyticsTopology.TRIAL_PAIRS_STORE),
                context.getStateStore(AnalyticsTopology.MEMBERS_STORE),
                context.getStateStore(AnalyticsTopology.EVENTS_STORE));
    }
}
