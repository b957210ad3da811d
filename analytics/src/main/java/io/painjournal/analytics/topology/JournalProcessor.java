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
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies each journal event to its user's rows (the exactly-once point: an id seen before changes
 * nothing) and adds, for every aggregate the event touched, the change of the user's contribution to
 * this partition's share of the aggregate. Since every statistic is an integer sum and every user lives
 * on one partition, the shares add up to exactly the sum of the users' current contributions, whatever
 * the order in which sessions, late sessions, follow-ups and deletions arrived.
 * <p>The work per event does not grow with the user's history: a session is one row and changes the
 * three contributions it belongs to; an entry is one row and changes the follow-ups of the sessions
 * in the 36 hours before it, found by a range scan; only forgetting a user reads all of their rows.
 * <p>The parts: {@link SealedRecords} opens a record, {@link UserRows} applies its event to the user's
 * rows, {@link Contributions} adds the changes up, and a {@link Heartbeat} writes every store now and then.
 */
final class JournalProcessor implements Processor<String, byte[], String, byte[]> {

    /** When the first heartbeat of a task comes, after its start. */
    static final Duration FIRST_BEAT = Duration.ofSeconds(1);

    private final VisibilityListener visibility;
    private final Duration heartbeat;
    private final SealedRecords sealed;
    private UserRows rows;
    private Contributions contributions;

    JournalProcessor(
            VisibilityListener visibility,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            Duration heartbeat,
            Duration keyWait,
            Counter shredded) {
        this.visibility = visibility;
        this.heartbeat = heartbeat;
        this.sealed = new SealedRecords(pseudonyms, dataKeys, keyWait, shredded);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        JournalStores stores = JournalStores.of(context);
        sealed.init(context, stores);
        rows = new UserRows(stores);
        contributions = new Contributions(stores, visibility);
        Heartbeat beat = new Heartbeat(context, stores);
        context.schedule(heartbeat, PunctuationType.WALL_CLOCK_TIME, now -> beat.beat(true));
        // And one beat a second after the task starts: every store's changelog then has a record, so every
        // store has a committed offset. Under exactly-once, after a crash Streams wipes and rebuilds in full
        // a task one of whose stores has none (a store no event wrote yet, e.g. the arms' members).
        Cancellable[] first = new Cancellable[1];
        first[0] = context.schedule(FIRST_BEAT, PunctuationType.WALL_CLOCK_TIME, now -> {
            first[0].cancel();
            beat.beat(false);
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // Every per-user row is keyed by the user's pseudonym (the record's key): nothing here names the user.
        String userId = record.key();
        if (userId == null) {
            throw new UnreadableRecordException("a journal record without a key (the user's pseudonym)");
        }
        JournalEvent event = sealed.open(userId, record.value());
        if (event == null) {
            return;
        }
        Map<String, Stats> changes;
        if (event instanceof Session s) {
            changes = rows.session(userId, s, record.value());
        } else if (event instanceof PainScore p) {
            changes = rows.entry(userId, p, record.value());
        } else if (event instanceof UserForgotten) {
            rows.forget(userId);
            changes = contributions.takenBack(userId);
            sealed.destroyKeys(userId);
        } else if (event instanceof Trial t) {
            rows.trial(userId, t, record.value());
            return;
        } else if (event instanceof TrialCancelled c) {
            rows.cancelTrial(userId, c, record.value());
            return;
        } else {
            return;
        }
        contributions.apply(userId, changes, record.timestamp());
    }
}
