package io.painjournal.analytics.journal;

import io.painjournal.analytics.stats.Stats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One user's journal: the unit of analytics state. It remembers every event id it was ever given
 * (also after the user is forgotten), so a repeated id never counts twice, and derives the user's
 * contribution to every aggregate from the sessions and entries it holds.
 * <p>Mutable, confined to the stream thread that owns the user's partition.
 */
public final class UserJournal {

    /** A session has a follow-up when an entry lies in (startedAt + 12 h, startedAt + 36 h]. */
    public static final Duration FOLLOW_UP_FROM = Duration.ofHours(12);
    public static final Duration FOLLOW_UP_TO = Duration.ofHours(36);

    private final Set<UUID> seen;
    private final List<SessionFact> sessions;
    /** Kept sorted by recordedAt, so follow-ups are found by binary search. */
    private final List<EntryFact> entries;

    public UserJournal() {
        this(new HashSet<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** Rebuilds a journal from its stored parts (the serde's use). */
    public static UserJournal restore(Set<UUID> seen, List<SessionFact> sessions, List<EntryFact> entries) {
        return new UserJournal(seen, sessions, entries);
    }

    private UserJournal(Set<UUID> seen, List<SessionFact> sessions, List<EntryFact> entries) {
        this.seen = seen;
        this.sessions = sessions;
        this.entries = entries;
        this.entries.sort(Comparator.comparing(EntryFact::recordedAt));
    }

    public Set<UUID> seen() {
        return Collections.unmodifiableSet(seen);
    }

    public List<SessionFact> sessions() {
        return Collections.unmodifiableList(sessions);
    }

    public List<EntryFact> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Whether this id was ever counted. */
    public boolean hasSeen(UUID eventId) {
        return seen.contains(eventId);
    }

    /** The aggregate keys a new session changes: its technique, its week, its research row. */
    public Set<String> affectedBy(SessionFact s) {
        return keysOf(s);
    }

    /** The per-technique keys of the sessions a new entry is a follow-up of. */
    public Set<String> affectedBy(EntryFact e) {
        Set<String> keys = new HashSet<>();
        for (SessionFact s : sessions) {
            if (isFollowUp(s, e.recordedAt())) {
                keys.add(AggregateKey.technique(s.technique()));
            }
        }
        return keys;
    }

    /** Every key this user contributes to (what forgetting them changes). */
    public Set<String> contributedKeys() {
        Set<String> keys = new HashSet<>();
        sessions.forEach(s -> keys.addAll(keysOf(s)));
        return keys;
    }

    /** Adds a session whose id was not seen before. */
    public void add(SessionFact s) {
        if (!seen.add(s.eventId())) {
            throw new IllegalStateException("event " + s.eventId() + " was counted already");
        }
        sessions.add(s);
    }

    /** Adds an entry whose id was not seen before, keeping entries in time order. */
    public void add(EntryFact e) {
        if (!seen.add(e.eventId())) {
            throw new IllegalStateException("event " + e.eventId() + " was counted already");
        }
        int at = Collections.binarySearch(entries, e, Comparator.comparing(EntryFact::recordedAt));
        entries.add(at < 0 ? -at - 1 : at, e);
    }

    /**
     * Forgets everything the user contributed, keeping only the ids (so a stale offline queue that
     * re-posts them brings nothing back).
     */
    public void forget() {
        sessions.clear();
        entries.clear();
    }

    private static Set<String> keysOf(SessionFact s) {
        var week = Weeks.weekStart(s.startedAt());
        return Set.of(AggregateKey.technique(s.technique()), AggregateKey.week(s.technique(), week),
                AggregateKey.research(s.technique(), s.cohort(), week));
    }

    static boolean isFollowUp(SessionFact s, Instant recordedAt) {
        return recordedAt.isAfter(s.startedAt().plus(FOLLOW_UP_FROM))
                && !recordedAt.isAfter(s.startedAt().plus(FOLLOW_UP_TO));
    }

    /** The entries that follow a session up, in time order. */
    public List<EntryFact> followUpsOf(SessionFact s) {
        Instant from = s.startedAt().plus(FOLLOW_UP_FROM);
        Instant to = s.startedAt().plus(FOLLOW_UP_TO);
        int lo = firstAfter(from);
        List<EntryFact> found = new ArrayList<>();
        for (int i = lo; i < entries.size() && !entries.get(i).recordedAt().isAfter(to); i++) {
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
        Stats stats = Stats.ofSession(s.painBefore(), s.painAfter(), s.durationMinutes(), s.costCents());
        if (withFollowUp) {
            List<EntryFact> follow = followUpsOf(s);
            if (!follow.isEmpty()) {
                long sumPain = 0;
                for (EntryFact e : follow) {
                    sumPain += e.pain();
                }
                // painBefore − mean(pain), in millionths, rounded half up.
                long micros = Math.round((s.painBefore() - (double) sumPain / follow.size()) * Stats.LASTING_SCALE);
                stats = stats.plus(Stats.ofFollowUp(micros));
            }
        }
        return stats;
    }

    /**
     * This user's contribution to each of the given aggregate keys: the sum over their sessions that
     * belong to it, with users = 1; {@link Stats#ZERO} when none does any more.
     */
    public Map<String, Stats> contributions(Set<String> keys) {
        Map<String, Stats> result = new LinkedHashMap<>();
        keys.forEach(k -> result.put(k, Stats.ZERO));
        for (SessionFact s : sessions) {
            for (String key : keysOf(s)) {
                Stats current = result.get(key);
                if (current != null) {
                    result.put(key, current.plus(statsOf(s, key.startsWith(AggregateKey.TECHNIQUE))));
                }
            }
        }
        result.replaceAll((k, v) -> v.isEmpty() ? Stats.ZERO : v.withUsers(1));
        return result;
    }
}
