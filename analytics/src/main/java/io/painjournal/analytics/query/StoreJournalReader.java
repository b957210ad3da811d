package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.journal.UserJournal;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads one user's {@link UserJournal} from the sessions and entries stores of their partition. */
public final class StoreJournalReader {

    private StoreJournalReader() {}

    /** The user's journal without trials, or null when they have neither sessions nor entries. */
    public static UserJournal read(
            ReadOnlyKeyValueStore<String, SessionFact> sessions,
            ReadOnlyKeyValueStore<String, EntryFact> entries,
            String userId) {
        List<SessionFact> s = rows(sessions, userId);
        List<EntryFact> e = rows(entries, userId);
        return s.isEmpty() && e.isEmpty() ? null : new UserJournal(s, e);
    }

    /** The user's journal with their trials, or null when they have none of the three. */
    public static UserJournal read(
            ReadOnlyKeyValueStore<String, SessionFact> sessions,
            ReadOnlyKeyValueStore<String, EntryFact> entries,
            ReadOnlyKeyValueStore<String, TrialFact> trials,
            String userId) {
        List<SessionFact> s = rows(sessions, userId);
        List<EntryFact> e = rows(entries, userId);
        List<TrialFact> t = rows(trials, userId);
        return s.isEmpty() && e.isEmpty() && t.isEmpty() ? null : new UserJournal(s, e, t);
    }

    private static <V> List<V> rows(ReadOnlyKeyValueStore<String, V> store, String userId) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(JournalKeys.userFrom(userId), JournalKeys.userTo(userId))) {
            it.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }
}
