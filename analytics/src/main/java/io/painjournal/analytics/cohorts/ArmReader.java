package io.painjournal.analytics.cohorts;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.StoreRows;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads one partition's share of a study arm: the arm's members from the {@code cohort-members} store the
 * stream keeps (each with the start of their first arm session), then, per member, only the sessions and
 * entries around their window (two range scans). No request scans every event.
 */
public final class ArmReader {

    private ArmReader() {}

    /** One arm of a comparison: a cohort tag, a technique (null: any) and the window's length in days. */
    public record Arm(String cohort, String technique, int days) {}

    public static ArmSums sums(
            ReadOnlyKeyValueStore<String, String> members,
            ReadOnlyKeyValueStore<String, SessionFact> sessions,
            ReadOnlyKeyValueStore<String, EntryFact> entries,
            String cohort,
            String technique,
            int days) {
        ArmSums sums = ArmSums.ZERO;
        try (KeyValueIterator<String, String> it =
                members.range(JournalKeys.armFrom(cohort, technique), JournalKeys.armTo(cohort, technique))) {
            while (it.hasNext()) {
                var member = it.next();
                String user = JournalKeys.memberOf(member.key);
                Instant first = Instant.parse(member.value);
                Instant to = CohortWindow.readTo(first, days);
                List<SessionFact> own =
                        StoreRows.values(sessions, JournalKeys.timeFrom(user, first), JournalKeys.timeTo(user, to));
                List<EntryFact> journal = StoreRows.values(
                        entries,
                        JournalKeys.timeFrom(user, CohortWindow.readFrom(first)),
                        JournalKeys.timeTo(user, to));
                CohortWindow.UserValue value = CohortWindow.of(own, journal, first, days, cohort, technique);
                if (value.sessions() > 0) {
                    sums = sums.plus(value, days);
                }
            }
        }
        return sums;
    }
}
