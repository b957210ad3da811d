package io.painjournal.analytics.topology;

import io.painjournal.analytics.stats.Stats;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The analytics topology, built by one pure function:
 * <pre>
 * journal topic (pseudonym → event sealed with one of the user's data keys)
 * keys topic (pseudonym|keyId → wrapped data key; partitioned as the journal, so a task reads its users' keys)
 *   → JournalProcessor, in the order Streams takes the two topics' records (by timestamp):
 *       a key: kept in "data-keys"; the events that came before it ("pending-events") are applied now
 *       an event: opened with its key from "data-keys" (a destroyed key: skipped; not there yet: held in
 *       "pending-events" until it comes, never waited for) and applied to the per-user stores (keys in
 *       {@link io.painjournal.analytics.journal.JournalKeys}):
 *       "seen-ids" (user|eventId), "sessions" and "entries" (user|time|eventId → fact),
 *       "contributions" (user|aggregateKey → that user's Stats)
 *   → for each aggregate the event touched: delta = user's contribution after − before,
 *     added to this partition's share in store "aggregates"
 *       (T|technique, W|technique|week, R|technique|cohort|week → Stats)
 *   → forgetting a user: a tombstone and an erasure marker for each key in "user-keys" → keys topic,
 *     in the transaction that deletes the user's rows and their keys in "data-keys"
 *   → each change reported to a {@link VisibilityListener} (freshness metric; no output topic)
 * </pre>
 * Every user lives on one partition, so a partition's share of an aggregate is the sum over its own
 * users, and queries add the shares of every partition up (users included: no user is counted on two
 * partitions). There is no repartition: an event is visible as soon as it is processed, and each event
 * costs one read of the journal topic. A late event, a follow-up entry or a deletion changes only that
 * user's contributions, and the delta adds exactly the new contribution and subtracts exactly the old
 * one (integer sums: no rounding drift).
 */
public final class AnalyticsTopology {

    public static final String AGGREGATES_STORE = "aggregates";
    public static final String SEEN_STORE = "seen-ids";
    public static final String SESSIONS_STORE = "sessions";
    public static final String ENTRIES_STORE = "entries";
    public static final String CONTRIBUTIONS_STORE = "contributions";
    /** The user's trials ({@code user|trialId} → {@link io.painjournal.analytics.journal.TrialFact}). */
    public static final String TRIALS_STORE = "trials";
    /**
     * The members of study arms: {@code cohort|technique|user} (technique {@code *}: any) → the start of the
     * user's first session of that arm (ISO instant), so a cohort comparison reads only its members' rows.
     */
    public static final String MEMBERS_STORE = "cohort-members";
    /**
     * Every accepted event of each user as it came (sealed with their data key), for their export:
     * {@code user|eventTime|eventId} → the journal record's value, so a user's events are one range in event-time order.
     */
    public static final String EVENTS_STORE = "user-events";
    /**
     * This task's users' data keys, from the keys topic: {@code pseudonym|keyId} → wrapped data key, and
     * {@code pseudonym|keyId|erased} → a marker that the key was destroyed.
     */
    public static final String KEYS_STORE = "data-keys";
    /**
     * Journal records that came before their data key: {@code pseudonym|keyId|offset} → the record's
     * timestamp (8 bytes) and sealed value, applied when the key comes, dropped when it is erased.
     */
    public static final String PENDING_STORE = "pending-events";
    /**
     * Each user's trials as the population of trials counts them ({@code a|b|user|trialId} →
     * {@link io.painjournal.analytics.trials.CountedTrial}), so a pair's summary reads the pair's rows.
     */
    public static final String TRIAL_PAIRS_STORE = "trial-pairs";
    /** The data keys each user's events used ({@code pseudonym|keyId}), destroyed when the user is forgotten. */
    public static final String USER_KEYS_STORE = "user-keys";
    /** {@code painjournal_analytics_shredded_total}. */
    public static final String SHREDDED = "painjournal.analytics.shredded";
    /** Every store the processor writes: the keys, the per-user ones and the aggregates. */
    public static final List<String> STORES = List.of(
            KEYS_STORE,
            PENDING_STORE,
            SEEN_STORE,
            SESSIONS_STORE,
            ENTRIES_STORE,
            CONTRIBUTIONS_STORE,
            TRIALS_STORE,
            MEMBERS_STORE,
            EVENTS_STORE,
            USER_KEYS_STORE,
            TRIAL_PAIRS_STORE,
            AGGREGATES_STORE);

    /**
     * Segment size of the changelogs whose rows are overwritten again and again ({@value #AGGREGATES_STORE}:
     * a technique's total with every commit; {@value #CONTRIBUTIONS_STORE}: a user's technique with every
     * session). Kafka compacts only closed segments, and the erasure bound alone rolls them every
     * {@code ERASURE_MAX_DELAY_S}/6 (4 h by default), so without this every superseded row stayed, and a
     * rebuild of a store from its changelog (before transactional stores, every store after a crash) read them all.
     * The other changelogs hold one row per event, which compaction cannot shrink: they keep Kafka's size,
     * so the cleaner does not copy them for nothing.
     */
    public static final int OVERWRITTEN_SEGMENT_BYTES = 1 << 20;

    /** The topic configs of the changelogs of {@link #OVERWRITTEN_STORES}. */
    public static final Map<String, String> OVERWRITTEN_CHANGELOG =
            Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(OVERWRITTEN_SEGMENT_BYTES));

    /** The stores whose changelogs get {@link #OVERWRITTEN_CHANGELOG}. */
    public static final List<String> OVERWRITTEN_STORES = List.of(AGGREGATES_STORE, CONTRIBUTIONS_STORE);

    private AnalyticsTopology() {}

    /**
     * @param visibility told of every change of an aggregate, with the timestamp of the event that made it,
     *                   as it is made (queries read through the store's cache, so they see it from then on);
     *                   for the freshness metric, it must be cheap and must not throw
     * @param pseudonyms what the journal and the per-user stores are keyed by instead of the user id (checked
     *                   against each opened event)
     * @param dataKeys   opens the journal's sealed records with the keys of the keys topic
     * @param heartbeat  how often every store's changelog and the keys topic get a record even when no event
     *                   comes (a put and a delete of a key no user has), so their last segments roll and
     *                   deleted rows are compacted away within the erasure bound
     * @param registry   where {@value #SHREDDED} is counted
     */
    public static Topology build(
            VisibilityListener visibility,
            Pseudonyms pseudonyms,
            DataKeys dataKeys,
            java.time.Duration heartbeat,
            io.micrometer.core.instrument.MeterRegistry registry) {
        Serde<Stats> stats = AnalyticsSerdes.stats();
        io.micrometer.core.instrument.Counter shredded = io.micrometer.core.instrument.Counter.builder(SHREDDED)
                .description("Journal records skipped because their user was forgotten (their data key is destroyed)")
                .register(registry);
        StreamsBuilder builder = new StreamsBuilder();
        addStore(builder, Stores.persistentKeyValueStore(USER_KEYS_STORE), Serdes.ByteArray());
        addStore(builder, Stores.persistentKeyValueStore(SEEN_STORE), Serdes.ByteArray());
        // The user's own rows: compacted in full every two heartbeats, so a forgotten user's old values
        // leave the RocksDB files within the erasure bound.
        java.time.Duration compaction = heartbeat.multipliedBy(2);
        addStore(builder, CompactingRocksDbStore.supplier(KEYS_STORE, compaction), Serdes.ByteArray());
        addStore(builder, CompactingRocksDbStore.supplier(PENDING_STORE, compaction), Serdes.ByteArray());
        addStore(builder, CompactingRocksDbStore.supplier(SESSIONS_STORE, compaction), AnalyticsSerdes.sessions());
        addStore(builder, CompactingRocksDbStore.supplier(ENTRIES_STORE, compaction), AnalyticsSerdes.entries());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        CompactingRocksDbStore.supplier(CONTRIBUTIONS_STORE, compaction), Serdes.String(), stats)
                .withLoggingEnabled(OVERWRITTEN_CHANGELOG));
        addStore(builder, CompactingRocksDbStore.supplier(TRIALS_STORE, compaction), AnalyticsSerdes.trials());
        addStore(
                builder,
                CompactingRocksDbStore.supplier(TRIAL_PAIRS_STORE, compaction),
                AnalyticsSerdes.countedTrials());
        addStore(builder, CompactingRocksDbStore.supplier(MEMBERS_STORE, compaction), Serdes.String());
        addStore(builder, CompactingRocksDbStore.supplier(EVENTS_STORE, compaction), Serdes.ByteArray());
        // Hot rows (a technique's total changes with every session): the cache writes each once per commit.
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AGGREGATES_STORE), Serdes.String(), stats)
                        .withCachingEnabled()
                        .withLoggingEnabled(OVERWRITTEN_CHANGELOG));

        // One source for both topics: partition p of each goes to the same task, which sees a user's keys and
        // events in the order Kafka has them.
        builder.stream(
                        List.of(Topics.JOURNAL.name(), Topics.KEYS_NAME),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("journal-and-keys"))
                .process(
                        () -> new JournalProcessor(visibility, pseudonyms, dataKeys, heartbeat, shredded),
                        Named.as("apply-to-journal"),
                        STORES.toArray(String[]::new)) // the processor writes every store
                // destroyed data keys (tombstones and erasure markers) and the heartbeat, on their user's partition
                .to(
                        Topics.KEYS_NAME,
                        Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName("key-erasures")
                                .withStreamPartitioner((topic, key, value, partitions) -> java.util.Optional.of(
                                        java.util.Set.of(Topics.keysPartition(key, partitions)))));
        return builder.build();
    }

    private static <V> void addStore(
            StreamsBuilder builder, org.apache.kafka.streams.state.KeyValueBytesStoreSupplier store, Serde<V> values) {
        builder.addStateStore(Stores.keyValueStoreBuilder(store, Serdes.String(), values));
    }
}
