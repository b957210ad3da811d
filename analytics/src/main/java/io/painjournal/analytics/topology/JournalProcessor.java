package io.painjournal.analytics.topology;

import io.micrometer.core.instrument.Counter;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import io.painjournal.events.TrialCancelled;
import io.painjournal.events.UserForgotten;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Applies each journal event to its user's rows (the exactly-once point: an id seen before changes
 * nothing) and adds, for every aggregate the event touched, the change of the user's contribution to
 * this partition's share of the aggregate. Since every statistic is an integer sum and every user lives
 * on one partition, the shares add up to exactly the sum of the users' current contributions, whatever
 * the order in which sessions, late sessions, follow-ups and deletions arrived.
 * <p>The work per event does not grow with the user's history: a session is one row and changes the
 * three contributions it belongs to; an entry is one row and changes the follow-ups of the sessions
 * in the 36 hours before it, found by a range scan; only forgetting a user reads all of their rows.
 * <p>It reads the keys topic too (partitioned as the journal): a user's data keys reach the task that
 * counts their events, in the order Kafka has them. An event whose key has not come yet waits in
 * {@link PendingEvents} and is applied when the key comes; nothing waits on the stream thread.
 * <p>The parts: {@link SealedRecords} keeps the keys and opens a record, {@link PendingEvents} holds records
 * that came before their key, {@link UserRows} applies an event to the user's rows, {@link TrialRows} keeps
 * their trials as the population of trials counts them, {@link Contributions}
 * adds the changes up, and a {@link Heartbeat} writes every store now and then.
 */
final class JournalProcessor implements Processor<String, byte[], String, byte[]> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalProcessor.class);

    /** When the first heartbeat of a task comes, after its start. */
    static final Duration FIRST_BEAT = Duration.ofSeconds(1);

    private final VisibilityListener visibility;
    private final Duration heartbeat;
    private final SealedRecords sealed;
    private final Counter shredded;
    private ProcessorContext<String, byte[]> context;
    private PendingEvents pending;
    private UserRows rows;
    private TrialRows trialRows;
    private Contributions contributions;

    JournalProcessor(
            VisibilityListener visibility,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            Duration heartbeat,
            Counter shredded) {
        this.visibility = visibility;
        this.heartbeat = heartbeat;
        this.shredded = shredded;
        this.sealed = new SealedRecords(pseudonyms, dataKeys, shredded);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        JournalStores stores = JournalStores.of(context);
        sealed.init(context, stores);
        pending = new PendingEvents(stores.pending());
        rows = new UserRows(stores);
        trialRows = new TrialRows(stores);
        contributions = new Contributions(stores, visibility);
        Heartbeat beat = new Heartbeat(context, stores);
        context.schedule(heartbeat, PunctuationType.WALL_CLOCK_TIME, now -> beat.beat());
        // And one beat a second after the task starts: every store's changelog then has a record, so every
        // store has a committed offset. Under exactly-once, after a crash Streams wipes and rebuilds in full
        // a task one of whose stores has none (a store no event wrote yet, e.g. the arms' members).
        Cancellable[] first = new Cancellable[1];
        first[0] = context.schedule(FIRST_BEAT, PunctuationType.WALL_CLOCK_TIME, now -> {
            first[0].cancel();
            beat.beat();
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // Every per-user row is keyed by the user's pseudonym (the record's key): nothing here names the user.
        String key = record.key();
        if (key == null) {
            throw new UnreadableRecordException("a record without a key (the user's pseudonym)");
        }
        RecordMetadata from = context.recordMetadata().orElseThrow();
        if (from.topic().equals(Topics.KEYS_NAME)) {
            keyRecord(key, record.value());
        } else if (sealed.keyCame(key, record.value())) {
            apply(key, record.value(), record.timestamp());
        } else {
            pending.hold(SealedRecords.keyOf(key, record.value()), from.offset(), record.timestamp(), record.value());
        }
    }

    /** A record of the keys topic; a new key lets the events that waited for it be applied, in journal order. */
    private void keyRecord(String recordKey, byte[] value) {
        sealed.keyRecord(recordKey, value);
        if (value == null || recordKey.startsWith(Topics.HEARTBEAT_KEY)) {
            return;
        }
        if (recordKey.endsWith(Topics.ERASED_SUFFIX)) {
            shredded.increment(
                    pending.drop(recordKey.substring(0, recordKey.length() - Topics.ERASED_SUFFIX.length())));
            return;
        }
        String pseudonym = recordKey.substring(0, recordKey.indexOf('|'));
        for (PendingEvents.Held held : pending.release(recordKey)) {
            try {
                apply(pseudonym, held.value(), held.timestamp());
            } catch (UnreadableRecordException e) { // the key's record is fine: only this event is skipped
                LOG.warn("a journal record that waited for its data key cannot be read, skipped: {}", e.getMessage());
            }
        }
    }

    /** Applies one journal event, its data key known. */
    private void apply(String userId, byte[] value, long timestamp) {
        JournalEvent event = sealed.open(userId, value);
        if (event == null) {
            return;
        }
        Map<String, Stats> changes;
        if (event instanceof Session s) {
            changes = rows.session(userId, s, value);
            trialRows.refresh(userId);
        } else if (event instanceof PainScore p) {
            changes = rows.entry(userId, p, value);
        } else if (event instanceof UserForgotten) {
            trialRows.forget(userId);
            rows.forget(userId);
            changes = contributions.takenBack(userId);
            sealed.destroyKeys(userId, pending.dropUser(userId));
        } else if (event instanceof Trial t) {
            rows.trial(userId, t, value);
            trialRows.refresh(userId);
            return;
        } else if (event instanceof TrialCancelled c) {
            rows.cancelTrial(userId, c, value);
            trialRows.refresh(userId);
            return;
        } else {
            return;
        }
        contributions.apply(userId, changes, timestamp);
    }
}
