package io.painjournal.analytics.journal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.painjournal.analytics.stats.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One user's sessions, journal entries and trials, as read from the state stores for that user's views.
 * Immutable; entries are kept in time order, so a session's follow-ups are found by binary search.
 */
public final class UserJournal {

    /** A session has a follow-up when an entry lies in (startedAt + 12 h, startedAt + 36 h]. */
    public static final Duration FOLLOW_UP_FROM = Duration.ofHours(12);

    public static final Duration FOLLOW_UP_TO = Duration.ofHours(36);

    private final List<SessionFact> sessions;
    private final List<EntryFact> entries;
    private final List<TrialFact> trials;

    public UserJournal(List<SessionFact> sessions, List<EntryFact> entries) {
        this(sessions, entries, List.of());
    }

    @JsonCreator
    public UserJournal(
            @JsonProperty(value = "sessions", required = true) List<SessionFact> sessions,
            @JsonProperty(value = "entries", required = true) List<EntryFact> entries,
            @JsonProperty("trials") List<TrialFact> trials) {
        this.sessions = List.copyOf(sessions);
        List<EntryFact> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(EntryFact::recordedAt));
        this.entries = Collections.unmodifiableList(sorted);
        this.trials = trials == null ? List.of() : List.copyOf(trials);
    }

    @JsonProperty
    public List<SessionFact> sessions() {
        return sessions;
    }

    @JsonProperty
    public List<EntryFact> entries() {
        return entries;
    }

    /** The user's trials (API.md section 5), in no particular order. */
    @JsonProperty
    public List<TrialFact> trials() {
        return trials;
    }

    @JsonIgnore
    public boolean isEmpty() {
        return sessions.isEmpty() && entries.isEmpty() && trials.isEmpty();
    }

    /** Whether an entry recorded at {@code recordedAt} follows session {@code s} up. */
    public static boolean isFollowUp(SessionFact s, Instant recordedAt) {
        return recordedAt.isAfter(followUpFrom(s)) && !recordedAt.isAfter(followUpTo(s));
    }

    /** Follow-ups are recorded strictly after this instant... */
    public static Instant followUpFrom(SessionFact s) {
        return s.startedAt().plus(FOLLOW_UP_FROM);
    }

    /** ...and at or before this one. */
    public static Instant followUpTo(SessionFact s) {
        return s.startedAt().plus(FOLLOW_UP_TO);
    }

    /** The entries that follow a session up, in time order. */
    public List<EntryFact> followUpsOf(SessionFact s) {
        Instant to = followUpTo(s);
        List<EntryFact> found = new ArrayList<>();
        for (int i = firstAfter(followUpFrom(s));
                i < entries.size() && !entries.get(i).recordedAt().isAfter(to);
                i++) {
            found.add(entries.get(i));
        }
        return found;
    }

    /** Index of the first entry recorded strictly after {@code t}. */
    private int firstAfter(Instant t) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).recordedAt().isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The statistics of one session, with its follow-up when it has one (for per-technique views). */
    public Stats statsOf(SessionFact s, boolean withFollowUp) {
        return statsOf(s, withFollowUp ? followUpsOf(s) : List.of());
    }

    /**
     * The statistics of one session given its follow-up entries (none: no follow-up). The lasting
     * reduction is painBefore − mean(pain of the follow-ups), in millionths, rounded half up.
     */
    public static Stats statsOf(SessionFact s, List<EntryFact> followUps) {
        Stats stats = Stats.ofSession(s.painBefore(), s.painAfter(), s.durationMinutes(), s.costCents());
        if (followUps.isEmpty()) {
            return stats;
        }
        long sumPain = 0;
        for (EntryFact e : followUps) {
            sumPain += e.pain();
        }
        long micros = Math.round((s.painBefore() - (double) sumPain / followUps.size()) * Stats.LASTING_SCALE);
        return stats.plus(Stats.ofFollowUp(micros));
    }

    /**
     * The aggregate keys a session belongs to: its technique (first: the only one with follow-ups), its
     * week, its research row and, when it carried a cost, its technique's money in that currency.
     */
    public static List<String> keysOf(SessionFact s) {
        var week = Weeks.weekStart(s.startedAt());
        List<String> keys = new ArrayList<>(4);
        keys.add(AggregateKey.technique(s.technique()));
        keys.add(AggregateKey.week(s.technique(), week));
        keys.add(AggregateKey.research(s.technique(), s.cohort(), week));
        if (s.costCents() != null) {
            keys.add(AggregateKey.cost(s.technique(), s.currency()));
        }
        return keys;
    }
}
