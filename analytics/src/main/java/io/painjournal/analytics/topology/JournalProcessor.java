package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.UserForgotten;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each journal event to its user's {@link UserJournal} (the exactly-once point: an id seen
 * before changes nothing) and forwards, for every aggregate the event touched, the change of the
 * user's contribution: (after − before), keyed by the aggregate. Since every statistic is an integer
 * sum, adding these deltas downstream gives exactly the sum of the users' current contributions,
 * whatever the order in which sessions, late sessions, follow-ups and deletions arrived.
 */
final class JournalProcessor implements Processor<String, JournalEvent, String, Stats> {

    private ProcessorContext<String, Stats> context;
    private KeyValueStore<String, UserJournal> journals;

    @Override
    public void init(ProcessorContext<String, Stats> context) {
        this.context = context;
        this.journals = context.getStateStore(AnalyticsTopology.JOURNALS_STORE);
    }

    @Override
    public void process(Record<String, JournalEvent> record) {
        JournalEvent event = record.value();
        if (event == null) {
            return; // a record that could not be decoded was skipped by the deserialization handler
        }
        String userId = event.userId();
        UserJournal stored = journals.get(userId);
        UserJournal journal = stored == null ? new UserJournal() : stored;
        Set<String> affected;
        Runnable apply;
        if (event instanceof Session s) {
            SessionFact fact = SessionFact.of(s);
            if (journal.hasSeen(fact.eventId())) {
                return;
            }
            affected = journal.affectedBy(fact);
            apply = () -> journal.add(fact);
        } else if (event instanceof PainScore p) {
            EntryFact fact = EntryFact.of(p);
            if (journal.hasSeen(fact.eventId())) {
                return;
            }
            affected = journal.affectedBy(fact);
            apply = () -> journal.add(fact);
        } else if (event instanceof UserForgotten) {
            affected = journal.contributedKeys();
            apply = journal::forget;
        } else {
            return;
        }
        Map<String, Stats> before = journal.contributions(affected);
        apply.run();
        journals.put(userId, journal);
        Map<String, Stats> after = journal.contributions(affected);
        for (String key : affected) {
            Stats delta = after.get(key).minus(before.get(key));
            if (!delta.equals(Stats.ZERO)) {
                context.forward(record.withKey(key).withValue(delta));
            }
        }
    }
}
