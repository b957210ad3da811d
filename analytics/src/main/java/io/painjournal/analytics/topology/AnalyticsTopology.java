package io.painjournal.analytics.topology;

import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.events.JournalEvent;
import io.painjournal.topics.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics topology, built by one pure function:
 * <pre>
 * journal topic (userId → event)
 *   → JournalProcessor with the per-user stores (keys in {@link io.painjournal.analytics.journal.JournalKeys}):
 *       "seen-ids" (user|eventId), "sessions" and "entries" (user|time|eventId → fact),
 *       "contributions" (user|aggregateKey → that user's Stats)
 *   → contribution deltas (aggregateKey → after − before of that user's contribution)
 *   → repartition by aggregate key, sum
 *   → store "aggregates" (T|technique, W|technique|week, R|technique|cohort|week → Stats)
 *   → each change reported to a {@link VisibilityListener} (freshness metric; no output topic)
 * </pre>
 * The processor keeps each user's contribution to every aggregate; a late event,
 * a follow-up entry or a deletion changes only that user's contributions, and the delta adds exactly
 * the new contribution and subtracts exactly the old one (integer sums: no rounding drift). One
 * repartition hop keeps an accepted event visible within a couple of commit intervals.
 */
public final class AnalyticsTopology {

    public static final String AGGREGATES_STORE = "aggregates";
    public static final String SEEN_STORE = "seen-ids";
    public static final String SESSIONS_STORE = "sessions";
    public static final String ENTRIES_STORE = "entries";
    public static final String CONTRIBUTIONS_STORE = "contributions";
    /** Every store, for metrics: the four per-user ones and the aggregates. */
    public static final List<String> STORES = List.of(SEEN_STORE, SESSIONS_STORE, ENTRIES_STORE, CONTRIBUTIONS_STORE,
            AGGREGATES_STORE);
    /** Name of the repartition by aggregate key; its topic is {@code <application.id>-by-aggregate-repartition}. */
    public static final String BY_AGGREGATE = "by-aggregate";
    /** How the aggregates store's input topic ends: a task reading it hosts that partition of the store. */
    public static final String AGGREGATES_INPUT_SUFFIX = BY_AGGREGATE + "-repartition";

    private AnalyticsTopology() {
    }

    public static Topology build() {
        return build(VisibilityListener.NONE);
    }

    /**
     * @param visibility told of every change of the aggregates store as it is flushed (what queries see),
     *                   for the freshness metric; it must be cheap and must not throw
     */
    public static Topology build(VisibilityListener visibility) {
        Serde<Stats> stats = AnalyticsSerdes.stats();
        StreamsBuilder builder = new StreamsBuilder();
        addStore(builder, SEEN_STORE, Serdes.ByteArray());
        addStore(builder, SESSIONS_STORE, AnalyticsSerdes.sessions());
        addStore(builder, ENTRIES_STORE, AnalyticsSerdes.entries());
        addStore(builder, CONTRIBUTIONS_STORE, stats);

        builder.stream(Topics.JOURNAL.name(), Consumed.<String, JournalEvent>with(Serdes.String(),
                        AnalyticsSerdes.events()).withName("journal-events"))
                .process(JournalProcessor::new, Named.as("apply-to-journal"), SEEN_STORE, SESSIONS_STORE, ENTRIES_STORE,
                        CONTRIBUTIONS_STORE)
                .groupByKey(Grouped.with(BY_AGGREGATE, Serdes.String(), stats))
                .aggregate(() -> Stats.ZERO,
                        (key, delta, total) -> total.plus(delta),
                        Named.as("add-deltas"),
                        Materialized.<String, Stats, KeyValueStore<Bytes, byte[]>>as(AGGREGATES_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(stats))
                .toStream(Named.as("aggregate-changes"))
                .process(() -> new Processor<String, Stats, Void, Void>() {
                    @Override
                    public void process(Record<String, Stats> change) {
                        visibility.visible(change.timestamp());
                    }
                }, Named.as("report-visibility"));
        return builder.build();
    }

    private static <V> void addStore(StreamsBuilder builder, String name, Serde<V> values) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values));
    }
}
