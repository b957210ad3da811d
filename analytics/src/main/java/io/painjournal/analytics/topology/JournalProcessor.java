package io.painjournal.analytics.topology;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.StoreRows;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.EventCodec;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import io.painjournal.events.TrialCancelled;
import io.painjournal.events.UserForgotten;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.DataKeys.DataKey;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each journal event to its user's rows (the exactly-once point: an id seen before changes
 * nothing) and adds, for every aggregate the event touched, the change of the user's contribution to
 * this partition's share of the aggregate. Since every statistic is an integer sum and every user lives
 * on one partition, the shares add up to exactly the sum of the users' current contributions, whatever
 * the order in which sessions, late sessions, follow-ups and deletions arrived.
 * <p>The work per event does not grow with the user's history: a session is one row and changes the
 * three contributions it belongs to; an entry is one row and changes the follow-ups of the sessions
 * in the 36 hours before it, found by a range scan; only forgetting a user reads all of their rows.
 */
final class JournalProcessor implements Processor<String, byte[], String, byte[]> {

    private final VisibilityListener visibility;
    private final Pseudonyms pseudonyms;
    private final DataKeys dataKeys;
    private final java.time.Duration heartbeat;
    private final java.time.Duration keyWait;
    private final Counter shredded;
    /** A key no user has (pseudonyms are URL-safe base64, aggregate keys start with a capital and '|'). */
    static final String HEARTBEAT_KEY = Topics.HEARTBEAT_KEY;

    /** Unwrapped data keys by record key ({@code pseudonym|keyId}): one unwrap per key, not per event. */
    private final Cache<String, DataKey> openKeys = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(java.time.Duration.ofMinutes(10))
            .build();

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> keys;
    private KeyValueStore<String, byte[]> userKeys;

    private KeyValueStore<String, Stats> aggregates;
    private KeyValueStore<String, byte[]> seen;
    private KeyValueStore<String, SessionFact> sessions;
    private KeyValueStore<String, EntryFact> entries;
    private KeyValueStore<String, Stats> contributions;
    private KeyValueStore<String, TrialFact> trials;
    private KeyValueStore<String, String> members;
    private KeyValueStore<String, byte[]> events;

    JournalProcessor(
            VisibilityListener visibility,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            java.time.Duration heartbeat,
            java.time.Duration keyWait,
            Counter shredded) {
        this.visibility = visibility;
        this.pseudonyms = pseudonyms;
        this.dataKeys = dataKeys;
        this.heartbeat = heartbeat;
        this.keyWait = keyWait;
        this.shredded = shredded;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.keys = context.getStateStore(AnalyticsTopology.KEYS_STORE);
        this.userKeys = context.getStateStore(AnalyticsTopology.USER_KEYS_STORE);
        this.aggregates = context.getStateStore(AnalyticsTopology.AGGREGATES_STORE);
        this.seen = context.getStateStore(AnalyticsTopology.SEEN_STORE);
        this.sessions = context.getStateStore(AnalyticsTopology.SESSIONS_STORE);
        this.entries = context.getStateStore(AnalyticsTopology.ENTRIES_STORE);
        this.contributions = context.getStateStore(AnalyticsTopology.CONTRIBUTIONS_STORE);
        this.trials = context.getStateStore(AnalyticsTopology.TRIALS_STORE);
        this.members = context.getStateStore(AnalyticsTopology.MEMBERS_STORE);
        this.events = context.getStateStore(AnalyticsTopology.EVENTS_STORE);
        context.schedule(
                heartbeat, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now -> beat(true));
        // And one beat a second after the task starts: every store's changelog then has a record, so every
        // store has a committed offset. Under exactly-once, after a crash Streams wipes and rebuilds in full
        // a task one of whose stores has none (a store no event wrote yet, e.g. the arms' members).
        org.apache.kafka.streams.processor.Cancellable[] first = new org.apache.kafka.streams.processor.Cancellable[1];
        first[0] = context.schedule(
                FIRST_BEAT, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now -> {
                    first[0].cancel();
                    beat(false);
                });
    }

    /** When the first heartbeat of a task comes, after its start. */
    static final java.time.Duration FIRST_BEAT = java.time.Duration.ofSeconds(1);

    /**
     * A put and a delete on every store: a record on every changelog partition this task writes; and, when
     * {@code keysTopic}, a tombstone on the keys topic, so its last segment rolls too.
     * <p>A write to the keys topic holds back what the global thread can read of it (it reads committed
     * records only) until this thread's transaction commits. An event of a new user processed in the same
     * transaction would then wait for its data key in vain, and be skipped as unreadable after
     * {@code keyWait}. So the keys topic is written only where it must be (the periodic heartbeat, a
     * user's erasure), and a commit is asked for at once after it.
     */
    private void beat(boolean keysTopic) {
        if (keysTopic) {
            context.forward(new Record<>(HEARTBEAT_KEY, null, System.currentTimeMillis()));
            context.commit();
        }
        userKeys.put(HEARTBEAT_KEY, AnalyticsSerdes.present());
        userKeys.delete(HEARTBEAT_KEY);
        seen.put(HEARTBEAT_KEY, AnalyticsSerdes.present());
        seen.delete(HEARTBEAT_KEY);
        sessions.put(HEARTBEAT_KEY, new SessionFact(new UUID(0, 0), "", Instant.EPOCH, 0, 0, 0, null, null, null));
        sessions.delete(HEARTBEAT_KEY);
        entries.put(HEARTBEAT_KEY, new EntryFact(new UUID(0, 0), Instant.EPOCH, 0, null, null, null, null, null));
        entries.delete(HEARTBEAT_KEY);
        contributions.put(HEARTBEAT_KEY, Stats.ZERO);
        contributions.delete(HEARTBEAT_KEY);
        trials.delete(HEARTBEAT_KEY);
        members.put(HEARTBEAT_KEY, "");
        members.delete(HEARTBEAT_KEY);
        events.put(HEARTBEAT_KEY, AnalyticsSerdes.present());
        events.delete(HEARTBEAT_KEY);
        aggregates.put(HEARTBEAT_KEY, Stats.ZERO);
        aggregates.delete(HEARTBEAT_KEY);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // Every per-user row is keyed by the user's pseudonym (the record's key): nothing here names the user.
        String userId = record.key();
        if (userId == null) {
            throw new UnreadableRecordException("a journal record without a key (the user's pseudonym)");
        }
        JournalEvent event = open(userId, record.value());
        if (event == null) {
            return;
        }
        Map<String, Stats> changes;
        if (event instanceof Session s) {
            SessionFact fact = SessionFact.of(s);
            if (!firstSighting(userId, fact.eventId())) {
                return;
            }
            keep(userId, s.startedAt(), fact.eventId(), record.value());
            changes = addSession(userId, fact);
        } else if (event instanceof PainScore p) {
            EntryFact fact = EntryFact.of(p);
            if (!firstSighting(userId, fact.eventId())) {
                return;
            }
            keep(userId, p.recordedAt(), fact.eventId(), record.value());
            changes = addEntry(userId, fact);
        } else if (event instanceof UserForgotten) {
            changes = forget(userId);
            destroyKeys(userId);
        } else if (event instanceof Trial t) {
            // the first acceptance wins: a second copy (a re-post ingest published twice) keeps its order
            String key = JournalKeys.trial(userId, t.trialId());
            if (trials.get(key) == null) {
                trials.put(key, new TrialFact(t, null));
                keep(
                        userId,
                        t.startDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                        UUID.fromString(t.trialId()),
                        record.value());
            }
            return;
        } else if (event instanceof TrialCancelled c) {
            String key = JournalKeys.trial(userId, c.trialId());
            TrialFact fact = trials.get(key);
            if (fact != null && fact.cancelledAt() == null) {
                trials.put(key, fact.cancel(c.cancelledAt()));
                keep(userId, c.cancelledAt(), UUID.fromString(c.eventId()), record.value());
            }
            return;
        } else {
            return;
        }
        changes.forEach((aggregateKey, change) -> {
            Stats delta = changeContribution(userId, aggregateKey, change);
            if (!delta.equals(Stats.ZERO)) {
                addToAggregate(aggregateKey, delta);
                visibility.visible(record.timestamp());
            }
        });
    }

    /**
     * The event a sealed record holds, or null when its data key was destroyed (the user was forgotten, and
     * this is a copy of one of their records read again, e.g. while state is rebuilt). Throws
     * {@link UnreadableRecordException}, before anything changed, for a record that cannot be read.
     */
    private JournalEvent open(String pseudonym, byte[] value) {
        if (value == null || !DataKeys.isSealed(value)) {
            throw new UnreadableRecordException("not a sealed journal record");
        }
        String recordKey = pseudonym + "|" + DataKeys.keyIdOf(value);
        DataKey key = openKeys.getIfPresent(recordKey);
        if (key == null) {
            byte[] wrapped = awaitKey(recordKey);
            if (wrapped == null) {
                if (keys.get(recordKey + Topics.ERASED_SUFFIX) != null) {
                    shredded.increment();
                    return null;
                }
                throw new UnreadableRecordException("no data key " + recordKey + " in the keys topic");
            }
            try {
                key = dataKeys.unwrap(recordKey, wrapped);
            } catch (IllegalArgumentException e) {
                throw new UnreadableRecordException("the data key does not open with this master key");
            }
            openKeys.put(recordKey, key);
        }
        JournalEvent event;
        try {
            event = EventCodec.decode(dataKeys.open(pseudonym, key, value));
        } catch (IllegalArgumentException e) { // the codec's messages quote nothing of the record
            throw new UnreadableRecordException(e.getMessage());
        }
        if (!pseudonyms.of(event.userId()).equals(pseudonym)) {
            throw new UnreadableRecordException("the record is keyed by another user's pseudonym");
        }
        if (userKeys.get(recordKey) == null) {
            userKeys.put(recordKey, AnalyticsSerdes.present());
        }
        return event;
    }

    /**
     * The wrapped key, waiting (up to {@code keyWait}) for the global store when it is not there yet: ingest
     * publishes a key before the first event sealed with it, but the global thread may not have read it.
     * Null, without waiting, for a key that was erased.
     */
    private byte[] awaitKey(String recordKey) {
        byte[] wrapped = keys.get(recordKey);
        long deadline = System.nanoTime() + keyWait.toNanos();
        while (wrapped == null && keys.get(recordKey + Topics.ERASED_SUFFIX) == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnreadableRecordException("interrupted while waiting for a data key");
            }
            wrapped = keys.get(recordKey);
        }
        return wrapped;
    }

    /**
     * Destroys every data key the user's events were sealed with: a tombstone on each (compaction then
     * removes the wrapped key from the keys topic), and a marker naming nobody so readers of old copies
     * know not to wait for it. They go out in this task's transaction, with the deletion of the user's rows.
     */
    private void destroyKeys(String pseudonym) {
        long now = System.currentTimeMillis();
        for (String recordKey : deleteAll(userKeys, JournalKeys.userFrom(pseudonym), JournalKeys.userTo(pseudonym))) {
            context.forward(new Record<>(recordKey, null, now));
            context.forward(new Record<>(recordKey + Topics.ERASED_SUFFIX, Topics.ERASED, now));
            openKeys.invalidate(recordKey);
        }
        context.commit(); // see beat(): the keys topic written, the global thread waits for this commit
    }

    /** This partition's share of the aggregate: the sum over its users (queries add the partitions up). */
    private void addToAggregate(String aggregateKey, Stats delta) {
        Stats old = aggregates.get(aggregateKey);
        Stats sum = (old == null ? Stats.ZERO : old).plus(delta);
        if (sum.equals(Stats.ZERO)) {
            aggregates.delete(aggregateKey);
        } else {
            aggregates.put(aggregateKey, sum);
        }
    }

    /** Records the id; false if it was recorded before (also when the user was forgotten since). */
    private boolean firstSighting(String userId, UUID eventId) {
        String key = JournalKeys.seen(userId, eventId);
        if (seen.get(key) != null) {
            return false;
        }
        seen.put(key, AnalyticsSerdes.present());
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

    /** Deletes the user's sessions and entries and takes back every contribution (ids stay seen). */
    private Map<String, Stats> forget(String userId) {
        String from = JournalKeys.userFrom(userId);
        String to = JournalKeys.userTo(userId);
        for (SessionFact s : StoreRows.values(sessions, from, to)) {
            if (s.cohort() != null) {
                members.delete(JournalKeys.member(s.cohort(), s.technique(), userId));
                members.delete(JournalKeys.member(s.cohort(), null, userId));
            }
        }
        deleteAll(sessions, from, to);
        deleteAll(entries, from, to);
        deleteAll(trials, from, to);
        deleteAll(events, from, to);
        Map<String, Stats> changes = new LinkedHashMap<>();
        try (KeyValueIterator<String, Stats> it = contributions.range(from, to)) {
            it.forEachRemaining(kv -> changes.put(JournalKeys.aggregateOf(kv.key), Stats.ZERO.minus(kv.value)));
        }
        return changes;
    }

    /**
     * Adds {@code change} (users 0) to the user's contribution to one aggregate and returns by how much
     * the contribution changed: a contribution counts the user once while it has sessions.
     */
    private Stats changeContribution(String userId, String aggregateKey, Stats change) {
        String key = JournalKeys.contribution(userId, aggregateKey);
        Stats old = contributions.get(key);
        Stats before = old == null ? Stats.ZERO : old;
        Stats sum = before.plus(change);
        Stats after = sum.isEmpty() ? Stats.ZERO : sum.withUsers(1);
        if (after.isEmpty()) {
            if (old != null) {
                contributions.delete(key);
            }
        } else {
            contributions.put(key, after);
        }
        return after.minus(before);
    }

    private List<EntryFact> followUps(String userId, SessionFact s) {
        List<EntryFact> found = StoreRows.values(
                entries,
                JournalKeys.timeFrom(userId, UserJournal.followUpFrom(s)),
                JournalKeys.timeTo(userId, UserJournal.followUpTo(s)));
        found.removeIf(e -> !UserJournal.isFollowUp(s, e.recordedAt()));
        return found;
    }

    /** Deletes every row in [from, to] and returns their keys. */
    private static <V> List<String> deleteAll(KeyValueStore<String, V> store, String from, String to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
        return keys;
    }
}
