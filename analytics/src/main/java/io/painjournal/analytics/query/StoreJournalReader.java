package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.StoreRows;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.journal.UserJournal;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads one user's {@link UserJournal} from the sessions and entries stores of their partition. */
public final class StoreJournalReader {

    private StoreJournalReader() {}

    /** The user's journal without trials, or null when they have neither sessions nor entries. */
    public static UserJournal read(
            ReadOnlyKeyValueStore<String, SessionFact> sessions,
            ReadOnlyKeyValueStore<String, EntryFact> entries,
            String userId) {
        List<SessionFact> s = StoreRows.ofUser(sessions, userId);
        List<EntryFact> e = StoreRows.ofUser(entries, userId);
        return s.isEmpty() && e.isEmpty() ? null : new UserJournal(s, e);
    }

    /** The user's journal with their trials, or null when they have none of the three. */
    public static UserJournal read(
            ReadOnlyKeyValueStore<String, SessionFact> sessions,
            ReadOnlyKeyValueStore<String, EntryFact> entries,
            ReadOnlyKeyValueStore<String, TrialFact> trials,
            String userId) {
        List<SessionFact> s = StoreRows.ofUser(sessions, userId);
        List<EntryFact> e = StoreRows.ofUser(entries, userId);
        List<TrialFact> t = StoreRows.ofUser(trials, userId);
        return s.isEmpty() && e.isEmpty() && t.isEmpty() ? null : new UserJournal(s, e, t);
    }
}
