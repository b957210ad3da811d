package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.StoreRows;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import io.painjournal.events.TrialCancelled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One user's rows in the per-user stores (keyed by the user's pseudonym): each event applied once (an id
 * seen before changes nothing), kept as it came for the user's export, and the change of the user's
 * statistics it makes, by aggregate, for {@link Contributions} to add.
 */
final class UserRows {

    private final KeyValueStore<String, byte[]> seen;
    private final KeyValueStore<String, SessionFact> sessions;
    private final KeyValueStore<String, EntryFact> entries;
    private final KeyValueStore<String, TrialFact> trials;
    private final KeyValueStore<String, String> members;
    private final KeyValueStore<String, byte[]> events;

    UserRows(JournalStores stores) {
        this.seen = stores.seen();
        this.sessions = stores.sessions();
        this.entries = stores.entries();
        this.trials = stores.trials();
        this.members = stores.members();
        this.events = stores.events();
    }

    /** A session: its rows, and the changes of the aggregates it touches (none if it was seen before). */
    Map<String, Stats> session(String userId, Session s, byte[] sealed) {
        SessionFact fact = SessionFact.of(s);
        return keepIfNew(userId, s.startedAt(), fact.eventId(), sealed) ? addSession(userId, fact) : Map.of();
    }

    /** A journal entry: its rows, and the changes of the follow-ups it makes (none if it was seen before). */
    Map<String, Stats> entry(String userId, PainScore p, byte[] sealed) {
        EntryFact fact = EntryFact.of(p);
        return keepIfNew(userId, p.recordedAt(), fact.eventId(), sealed) ? addEntry(userId, fact) : Map.of();
    }

    /** The first acceptance wins: a second copy (a re-post ingest published twice) keeps its order. */
    void trial(String userId, Trial t, byte[] sealed) {
        String key = JournalKeys.trial(userId, t.trialId());
        if (trials.get(key) == null) {
            trials.put(key, new TrialFact(t, null));
            keep(
                    userId,
                    t.startDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                    UUID.fromString(t.trialId()),
                    sealed);
        }
    }

    /** Cancels a trial that is not cancelled yet. */
    void cancelTrial(String userId, TrialCancelled c, byte[] sealed) {
        String key = JournalKeys.trial(userId, c.trialId());
        TrialFact fact = trials.get(key);
        if (fact != null && fact.cancelledAt() == null) {
            trials.put(key, fact.cancel(c.cancelledAt()));
            keep(userId, c.cancelledAt(), UUID.fromString(c.eventId()), sealed);
        }
    }

    /** Deletes the user's arm memberships, sessions, entries, trials and kept events (ids stay seen). */
    void forget(String userId) {
        String from = JournalKeys.userFrom(userId);
        String to = JournalKeys.userTo(userId);
        for (SessionFact s : StoreRows.values(sessions, from, to)) {
            if (s.cohort() != null) {
                members.delete(JournalKeys.member(s.cohort(), s.technique(), userId));
                members.delete(JournalKeys.member(s.cohort(), null, userId));
            }
        }
        StoreRows.deleteAll(sessions, from, to);
        StoreRows.deleteAll(entries, from, to);
        StoreRows.deleteAll(trials, from, to);
        StoreRows.deleteAll(events, from, to);
    }

    /**
     * Records the id and keeps the event; false, and nothing kept, if the id was recorded before (also when
     * the user was forgotten since).
     */
    private boolean keepIfNew(String userId, Instant eventTime, UUID eventId, byte[] sealed) {
        String key = JournalKeys.seen(userId, eventId);
        if (seen.get(key) != null) {
            return false;
        }
        seen.put(key, AnalyticsSerdes.present());
        keep(userId, eventTime, eventId, sealed);
        return true;
    }

    /** The session's statistics go to its three aggregates; entries already there may follow it up. */
    private Map<String, Stats> addSession(String userId, SessionFact s) {
        sessions.put(JournalKeys.timed(userId, s.startedAt(), s.eventId()), s);
        if (s.cohort() != null) {
            joinArm(JournalKeys.member(s.cohort(), s.technique(), userId), s.startedAt());
            joinArm(JournalKeys.member(s.cohort(), null, userId), s.startedAt());
        }
        Stats plain = UserJournal.statsOf(s, List.of());
        List<String> keys = UserJournal.keysOf(s);
        Map<String, Stats> changes = new LinkedHashMap<>();
        changes.put(keys.get(0), UserJournal.statsOf(s, followUps(userId, s)));
        keys.subList(1, keys.size()).forEach(key -> changes.put(key, plain));
        return changes;
    }

    /** Keeps an accepted event as it came (sealed), for the user's export, in event-time order. */
    private void keep(String userId, Instant eventTime, UUID eventId, byte[] sealed) {
        events.put(JournalKeys.timed(userId, eventTime, eventId), sealed);
    }

    /** A member's window starts at their first arm session: a late, earlier session moves it back. */
    private void joinArm(String memberKey, Instant startedAt) {
        String first = members.get(memberKey);
        if (first == null || startedAt.isBefore(Instant.parse(first))) {
            members.put(memberKey, startedAt.toString());
        }
    }

    /** The entry may be a follow-up of sessions 12 to 36 hours before it: their lasting reduction changes. */
    private Map<String, Stats> addEntry(String userId, EntryFact e) {
        entries.put(JournalKeys.timed(userId, e.recordedAt(), e.eventId()), e);
        Map<String, Stats> changes = new LinkedHashMap<>();
        Instant from = e.recordedAt().minus(UserJournal.FOLLOW_UP_TO);
        Instant to = e.recordedAt().minus(UserJournal.FOLLOW_UP_FROM);
        for (SessionFact s :
                StoreRows.values(sessions, JournalKeys.timeFrom(userId, from), JournalKeys.timeTo(userId, to))) {
            if (!UserJournal.isFollowUp(s, e.recordedAt())) {
                continue;
            }
            List<EntryFact> now = followUps(userId, s);
            List<EntryFact> before = new ArrayList<>(now);
            before.removeIf(f -> f.eventId().equals(e.eventId()));
            changes.merge(
                    AggregateKey.technique(s.technique()),
                    UserJournal.statsOf(s, now).minus(UserJournal.statsOf(s, before)),
                    Stats::plus);
        }
        return changes;
    }

    private List<EntryFact> followUps(String userId, SessionFact s) {
        List<EntryFact> found = StoreRows.values(
                entries,
                JournalKeys.timeFrom(userId, UserJournal.followUpFrom(s)),
                JournalKeys.timeTo(userId, UserJournal.followUpTo(s)));
        found.removeIf(e -> !UserJournal.isFollowUp(s, e.recordedAt()));
        return found;
    }
}
