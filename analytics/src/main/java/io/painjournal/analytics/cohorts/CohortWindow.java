package io.painjournal.analytics.cohorts;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One user's values in a study arm (API.md, {@code GET /v1/research/cohorts}). Their window is
 * [first, first + days), {@code first} being the start of their first session tagged with the cohort (and
 * of the technique, if one is asked for). Pure: the caller reads the sessions and entries around the
 * window from the user's stores.
 */
public final class CohortWindow {

    private static final Duration WEEK = Duration.ofDays(7);

    private CohortWindow() {}

    /**
     * The user's arm sessions in the window, their mean reduction, and the pain change: mean journal pain in
     * the window's last 7 days minus that in the 7 days before the window (null unless both have entries).
     *
     * @param sessions the user's sessions (any; those outside the window or the arm are skipped)
     * @param entries the user's journal entries (any)
     */
    public static UserValue of(
            List<SessionFact> sessions,
            List<EntryFact> entries,
            Instant first,
            int days,
            String cohort,
            String technique) {
        Instant end = first.plus(Duration.ofDays(days));
        int n = 0;
        long sum = 0;
        for (SessionFact s : sessions) {
            if (cohort.equals(s.cohort())
                    && (technique == null || technique.equals(s.technique()))
                    && in(s.startedAt(), first, end)) {
                n++;
                sum += s.painBefore() - s.painAfter();
            }
        }
        Double before = meanPain(entries, first.minus(WEEK), first);
        Double last = meanPain(entries, end.minus(WEEK), end);
        Double change = before == null || last == null ? null : last - before;
        return new UserValue(n, n == 0 ? 0 : (double) sum / n, change);
    }

    /** The instants of the journal entries a user's value reads: from 7 days before the window to its end. */
    public static Instant readFrom(Instant first) {
        return first.minus(WEEK);
    }

    public static Instant readTo(Instant first, int days) {
        return first.plus(Duration.ofDays(days));
    }

    private static Double meanPain(List<EntryFact> entries, Instant from, Instant to) {
        int n = 0;
        long sum = 0;
        for (EntryFact e : entries) {
            if (in(e.recordedAt(), from, to)) {
                n++;
                sum += e.pain();
            }
        }
        return n == 0 ? null : (double) sum / n;
    }

    private static boolean in(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** A user's share of an arm: arm sessions in the window, their mean reduction, the pain change (or null). */
    public record UserValue(int sessions, double meanReduction, Double painChange) {}
}
