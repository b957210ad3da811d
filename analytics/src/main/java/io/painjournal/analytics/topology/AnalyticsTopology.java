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
 * keys topic (pseudonym|keyId → wrapped data key) → global store "data-keys" (in memory, every instance)
 * journal topic (pseudonym → event sealed with one of the user's data keys)
 *   → JournalProcessor opens it with its key from "data-keys"
 *       (a destroyed key: the record is skipped; no key: a dead letter) with the per-user stores (keys in {@link io.painjournal.analytics.journal.JournalKeys}):
 *       "seen-ids" (user|eventId), "sessions" and "entries" (user|time|eventId → fact),
 *       "contributions" (user|aggregateKey → that user's Stats)
 *   → for each aggregate the event touched: delta = user's contribution after − before,
 *     added to this partition's share in store "aggregates"
 *       (T|technique, W|technique|week, R|technique|cohort|week → Stats)
 *   → forgetting a user: a tombstone and an erasure marker for each key in "user-keys" → keys topic
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
    /** Global, in memory: the keys topic ({@code pseudonym|keyId} → wrapped data key, or erasure markers). */
    public static final String KEYS_STORE = "data-keys";
    /** The data keys each user's events used ({@code pseudonym|keyId}), destroyed when the user is forgotten. */
    public static final String USER_KEYS_STORE = "user-keys";
    /** {@code painjournal_analytics_shredded_total}. */
    public static final String SHREDDED = "painjournal.analytics.shredded";
    /** How long the first event of a new data key may wait for the key to reach the global store. */
    public static final java.time.Duration KEY_WAIT = java.time.Duration.ofSeconds(2);
    /** Every store the processor writes (the global store of keys aside): the per-user ones and the aggregates. */
    public static final List<String> STORES = List.of(
            SEEN_STORE,
            SESSIONS_STORE,
            ENTRIES_STORE,
            CONTRIBUTIONS_STORE,
            TRIALS_STORE,
            MEMBERS_STORE,
            EVENTS_STORE,
            USER_KEYS_STORE,
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
        // Every instance holds every data key (wrapped), in memory only: restored from the topic at start;
        // not transactional, so a key the global thread read is seen by the stream threads at once.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(SharedMemoryStore.supplier(KEYS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.KEYS_NAME,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("data-keys"),
                KeysUpdater::new);
        addStore(builder, Stores.persistentKeyValueStore(USER_KEYS_STORE), Serdes.ByteArray());
        addStore(builder, Stores.persistentKeyValueStore(SEEN_STORE), Serdes.ByteArray());
        // The user's own rows: compacted in full every two heartbeats, so a forgotten user's old values
        // leave the RocksDB files within the erasure bound.
        java.time.Duration compaction = heartbeat.multipliedBy(2);
        addStore(builder, CompactingRocksDbStore.supplier(SESSIONS_STORE, compaction), AnalyticsSerdes.sessions());
        addStore(builder, CompactingRocksDbStore.supplier(ENTRIES_STORE, compaction), AnalyticsSerdes.entries());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        CompactingRocksDbStore.supplier(CONTRIBUTIONS_STORE, compaction), Serdes.String(), stats)
                .withLoggingEnabled(OVERWRITTEN_CHANGELOG));
        addStore(builder, CompactingRocksDbStore.supplier(TRIALS_STORE, compaction), AnalyticsSerdes.trials());
        addStore(builder, CompactingRocksDbStore.supplier(MEMBERS_STORE, compaction), Serdes.String());
        addStore(builder, CompactingRocksDbStore.supplier(EVENTS_STORE, compaction), Serdes.ByteArray());
        // Hot rows (a technique's total changes with every session): the cache writes each once per commit.
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AGGREGATES_STORE), Serdes.String(), stats)
                        .withCachingEnabled()
                        .withLoggingEnabled(OVERWRITTEN_CHANGELOG));

        builder.stream(
                        Topics.JOURNAL.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("journal-events"))
                .process(
                        () -> new JournalProcessor(visibility, pseudonyms, dataKeys, heartbeat, KEY_WAIT, shredded),
                        Named.as("apply-to-journal"),
                        STORES.toArray(String[]::new)) // the processor writes every store
                // destroyed data keys (tombstones and erasure markers) and the heartbeat
                .to(
                        Topics.KEYS_NAME,
                        Produced.with(Serdes.String(), Serdes.ByteArray()).withName("key-erasures"));
        return builder.build();
    }

    private static <V> void addStore(
            StreamsBuilder builder, org.apache.kafka.streams.state.KeyValueBytesStoreSupplier store, Serde<V> values) {
        builder.addStateStore(Stores.keyValueStoreBuilder(store, Serdes.String(), values));
    }
}
