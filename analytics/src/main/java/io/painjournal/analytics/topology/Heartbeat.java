package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.topics.Topics;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record on every changelog partition a task writes, and on the keys topic, even when no event comes:
 * their last segments roll, so deleted rows are compacted away within the erasure bound. The
 * {@link JournalProcessor} schedules it.
 */
final class Heartbeat {

    /** A key no user has (pseudonyms are URL-safe base64, aggregate keys start with a capital and '|'). */
    private static final String KEY = Topics.HEARTBEAT_KEY;

    private final ProcessorContext<String, byte[]> context;
    private final JournalStores stores;

    Heartbeat(ProcessorContext<String, byte[]> context, JournalStores stores) {
        this.context = context;
        this.stores = stores;
    }

    /**
     * A put and a delete on every store: a record on every changelog partition this task writes; and a
     * tombstone on this task's partition of the keys topic, so its last segment rolls too.
     */
    void beat() {
        context.forward(new Record<>(KEY + "|" + context.taskId().partition(), null, System.currentTimeMillis()));
        stores.keys().put(KEY, AnalyticsSerdes.present());
        stores.keys().delete(KEY);
        stores.pending().put(KEY, AnalyticsSerdes.present());
        stores.pending().delete(KEY);
        stores.userKeys().put(KEY, AnalyticsSerdes.present());
        stores.userKeys().delete(KEY);
        stores.seen().put(KEY, AnalyticsSerdes.present());
        stores.seen().delete(KEY);
        stores.sessions().put(KEY, new SessionFact(new UUID(0, 0), "", Instant.EPOCH, 0, 0, 0, null, null, null));
        stores.sessions().delete(KEY);
        stores.entries().put(KEY, new EntryFact(new UUID(0, 0), Instant.EPOCH, 0, null, null, null, null, null));
        stores.entries().delete(KEY);
        stores.contributions().put(KEY, Stats.ZERO);
        stores.contributions().delete(KEY);
        stores.trials().delete(KEY);
        stores.trialPairs().delete(KEY);
        stores.members().put(KEY, "");
        stores.members().delete(KEY);
        stores.events().put(KEY, AnalyticsSerdes.present());
        stores.events().delete(KEY);
        stores.aggregates().put(KEY, Stats.ZERO);
        stores.aggregates().delete(KEY);
    }
}
