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
 * before changes nothing) and forwards the user's new contribution to every aggregate the event
 * touched, keyed {@code userId|aggregateKey}; a contribution that became empty is forwarded as
 * {@code null}, which deletes it downstream.
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
        UserJournal journal = journals.get(userId);
        if (journal == null) {
            journal = new UserJournal();
        }
        Set<String> changed;
        if (event instanceof Session s) {
            changed = journal.add(SessionFact.of(s));
        } else if (event instanceof PainScore p) {
            changed = journal.add(EntryFact.of(p));
        } else if (event instanceof UserForgotten) {
            changed = journal.forget();
        } else {
            return;
        }
        journals.put(userId, journal);
        for (Map.Entry<String, Stats> c : journal.contributions(changed).entrySet()) {
            context.forward(record.withKey(AggregateKey.contribution(userId, c.getKey()))
                    .withValue(c.getValue().isEmpty() ? null : c.getValue()));
        }
    }
}
