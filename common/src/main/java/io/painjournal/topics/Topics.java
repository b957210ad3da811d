package io.painjournal.topics;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka topics of the system and the settings they are created with. Names carry a schema
 * version so an incompatible change gets a new topic rather than a surprise for old consumers.
 */
public final class Topics {

    /**
     * Every journal event (sessions, pain scores, deletions), keyed by the user's pseudonym
     * ({@link io.painjournal.privacy.Pseudonyms}), value the event's JSON ({@link io.painjournal.events.EventCodec})
     * sealed with one of the user's data keys ({@link io.painjournal.privacy.DataKeys#seal}). Kept forever: it
     * is the system of record from which every aggregate can be rebuilt, and a forgotten user's records in it
     * become unreadable when their data keys leave {@link #KEYS}.
     */
    public static final TopicSpec JOURNAL = new TopicSpec(
            "pain-journal.events.v2",
            Map.of(
                    "retention.ms", "-1",
                    "cleanup.policy", "delete",
                    // never a lagging replica as leader: it would drop acknowledged events
                    "unclean.leader.election.enable", "false",
                    "compression.type", "producer"));

    /**
     * Journal records analytics could not decode, as they were, with the reason and the source offset in
     * headers (see {@code DeadLetterHandler}). Kept 14 days: long enough to look at, not a second copy of
     * anyone's journal for good.
     */
    public static final TopicSpec DEAD_LETTERS = new TopicSpec(
            "pain-journal.events.dead-letters.v1",
            Map.of("retention.ms", Long.toString(14L * 24 * 3600 * 1000), "cleanup.policy", "delete"));

    /**
     * The journal of versions before encryption: keyed by the plain {@code userId}, values plain JSON. Copied
     * into {@link #JOURNAL} (sealed) and deleted at the first start of this version ({@code JournalMigration}).
     */
    public static final String JOURNAL_V1 = "pain-journal.events.v1";

    /** Name of the topic of users' data keys ({@link #keys}). */
    public static final String KEYS_NAME = "pain-journal.keys.v2";

    /**
     * The keys topic of earlier versions: one partition, read by every analytics instance into a global store.
     * Copied into {@link #KEYS_NAME}, partitioned as the journal is, and deleted at the first start of this
     * version ({@code KeysMigration}).
     */
    public static final String KEYS_V1 = "pain-journal.keys.v1";

    /**
     * What ends the record key of an erasure marker on {@link #keys} ({@code pseudonym|keyId|erased}), and
     * its value (one byte, naming nobody): that data key was destroyed.
     */
    public static final String ERASED_SUFFIX = "|erased";

    public static final byte[] ERASED = {0};

    /**
     * Record key of the heartbeat tombstone analytics appends so a store's or the keys topic's last segment
     * rolls; on the keys topic followed by {@code |} and the partition it is for ({@link #keysPartition}).
     */
    public static final String HEARTBEAT_KEY = "!heartbeat";

    /**
     * The users' data keys: record key {@code pseudonym|keyId}, value the key wrapped by the master key
     * ({@link io.painjournal.privacy.DataKeys#wrap}); erasing a user writes a tombstone on each of their keys
     * and a marker {@code pseudonym|keyId|erased} (one byte, naming nobody). Partitioned as the journal is:
     * a user's keys are on the partition number of their journal records ({@link #keysPartition}), so the
     * analytics task that counts a user's events also reads their keys, in the order Kafka has them, with no
     * wait. Created with the journal's number of partitions. Compacted, and rolled, compacted and cleaned of
     * tombstones within fractions of {@code erasureMaxDelay}, so a destroyed key is physically gone within it.
     *
     * @param erasureMaxDelay {@code ERASURE_MAX_DELAY_S}
     */
    public static TopicSpec keys(java.time.Duration erasureMaxDelay) {
        long ms = erasureMaxDelay.toMillis();
        return new TopicSpec(
                KEYS_NAME,
                Map.of(
                        "cleanup.policy",
                        "compact",
                        "segment.ms",
                        Long.toString(Math.max(1000, ms / 6)),
                        "max.compaction.lag.ms",
                        Long.toString(Math.max(1000, ms / 3)),
                        "delete.retention.ms",
                        Long.toString(Math.max(1000, ms / 6)),
                        "min.cleanable.dirty.ratio",
                        "0.01",
                        // the files compaction replaced are deleted this long after (Kafka's default: 60 s)
                        "file.delete.delay.ms",
                        Long.toString(fileDeleteDelayMs(erasureMaxDelay)),
                        "unclean.leader.election.enable",
                        "false"));
    }

    /**
     * The partition of a keys-topic record: that of the user's journal records, whose key is their pseudonym
     * (Kafka's default partitioner: murmur2 of the key's UTF-8 bytes); a heartbeat names its partition.
     *
     * @param recordKey  {@code pseudonym|keyId}, {@code pseudonym|keyId|erased} or {@code !heartbeat|partition}
     * @param partitions of the keys topic (the journal's number)
     */
    public static int keysPartition(String recordKey, int partitions) {
        int bar = recordKey.indexOf('|');
        if (recordKey.startsWith(HEARTBEAT_KEY + "|")) {
            return Integer.parseInt(recordKey.substring(bar + 1)) % partitions;
        }
        String pseudonym = bar < 0 ? recordKey : recordKey.substring(0, bar);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        pseudonym.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % partitions;
    }

    /** A record of the keys topic, on its user's partition ({@link #keysPartition}). */
    public static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> keysRecord(
            String recordKey, byte[] value, int partitions) {
        return new org.apache.kafka.clients.producer.ProducerRecord<>(
                KEYS_NAME, keysPartition(recordKey, partitions), recordKey, value);
    }

    /** How long Kafka keeps the segment files compaction replaced: a small part of the erasure bound. */
    public static long fileDeleteDelayMs(java.time.Duration erasureMaxDelay) {
        return Math.min(60_000, Math.max(1000, erasureMaxDelay.toMillis() / 10));
    }

    /**
     * The researchers' spending of their differential-privacy budget: key the researcher (token subject), value
     * one request's spend as JSON. One partition, so every api instance reads the spends in one order and decides
     * each the same way (see {@code KafkaPrivacyBudget}); kept forever (a few hundred bytes per request), since a
     * decision depends on the spends before it.
     */
    public static final TopicSpec PRIVACY_BUDGET = new TopicSpec(
            "pain-journal.privacy-budget.v1",
            Map.of("retention.ms", "-1", "cleanup.policy", "delete", "unclean.leader.election.enable", "false"),
            Optional.of(1));

    /** Every topic the system creates at start. */
    public static List<TopicSpec> all(java.time.Duration erasureMaxDelay) {
        return List.of(JOURNAL, DEAD_LETTERS, keys(erasureMaxDelay), PRIVACY_BUDGET);
    }

    private Topics() {}

    /**
     * A topic's name and the configs it is created with (replication, and partitions unless given here,
     * come from config).
     */
    public record TopicSpec(String name, Map<String, String> configs, Optional<Integer> partitions) {
        public TopicSpec(String name, Map<String, String> configs) {
            this(name, configs, Optional.empty());
        }
    }
}
