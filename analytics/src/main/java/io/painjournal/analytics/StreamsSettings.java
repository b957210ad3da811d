package io.painjournal.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.analytics.AnalyticsRole.Membership;
import io.painjournal.analytics.topology.AnalyticsTopology;
import io.painjournal.analytics.topology.DeadLetterHandler;
import io.painjournal.analytics.topology.UnreadableRecordHandler;
import io.painjournal.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The Streams configuration of the analytics role: exactly-once with transactional stores, RocksDB's
 * memory, the handlers of unreadable records, the restore, membership in the group, the erasure bound on
 * the internal topics, and the configs of the changelogs.
 */
final class StreamsSettings {

    private StreamsSettings() {}

    /**
     * Adds what the running role has and the topology tests do not: its threads, the registry the dead
     * letters are counted in, its membership and the erasure bound.
     */
    static void addRole(
            Properties p, int threads, Membership membership, MeterRegistry registry, Duration erasureMaxDelay) {
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(DeadLetterHandler.REGISTRY_CONFIG, registry);
        membership(p, membership);
        erasure(p, erasureMaxDelay);
    }

    /** The configuration the role and the topology tests have in common. */
    static Properties common(String bootstrapServers, Path stateDir, HostInfo advertised, short replicationFactor) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, AnalyticsRole.APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Transactional stores (KIP-892): a task's writes reach RocksDB when its transaction commits, so
        // after a crash a store is as of its last commit and only the changelog after that is replayed,
        // instead of every store of the crashed tasks being wiped and rebuilt from its whole changelog.
        // Answers read committed rows only, as the changelog and every other instance see them.
        p.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        p.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        // Short commits keep answers fresh: with EOS a result is visible downstream only once committed.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // Changelogs as durable as the journal: a write is acknowledged by all but one replica at least.
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(Math.max(1, replicationFactor - 1)));
        p.put(StreamsConfig.topicPrefix(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG), "false");
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A task reads partition p of the journal and of the keys topic. An event that comes before its key
        // waits in a store (PendingEvents), so the task need not wait for one topic's fetch to take the
        // other's records in timestamp order: it processes what it has. With Streams' default (0) a task
        // processes nothing while one of its partitions has an unknown or unfetched lag; after a broker
        // restart under load KafkaOutageTest once saw 32 events stay uncounted for 2 minutes with it.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, BoundedRocksDbConfig.RECORD_CACHE_BYTES);
        // Every RocksDB instance shares one block cache and one write-buffer budget: memory is set here,
        // not by the number of stores and partitions, nor by the data.
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        // A record that is not a journal event is logged, counted, copied to the dead-letter topic and
        // skipped instead of stopping analytics.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecordHandler.class);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS.name());
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        // Restoring in large batches (a store rebuilt from its changelog: lost or new local state, a task
        // moved to this instance; before transactional stores also every store after a crash): with the
        // larger memtable budget, 320,000 events' state restored in 6.0-7.1 s instead of 9.7-11.3 s
        // (docs/PERFORMANCE.md, 2026-12-03).
        p.put(
                StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                AnalyticsRole.RESTORE_POLL_RECORDS);
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 8 * 1024 * 1024);
        // A killed instance's open transaction blocks its partitions' next owner (restore and committed
        // offsets wait for it) until the broker aborts it: 5 s after it began instead of Streams' 10 s.
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                AnalyticsRole.TRANSACTION_TIMEOUT_MS);
        return p;
    }

    /**
     * The configs of this version's changelogs that differ from the defaults, by topic. Streams sets them
     * only on a changelog it creates; the application sets them at start on changelogs an earlier version
     * made (its {@code KafkaTopics.alignExisting}).
     */
    static Map<String, Map<String, String>> changelogConfigs() {
        Map<String, Map<String, String>> configs = new java.util.TreeMap<>();
        for (String store : AnalyticsTopology.OVERWRITTEN_STORES) {
            configs.put(
                    AnalyticsRole.APPLICATION_ID + "-" + store + "-changelog", AnalyticsTopology.OVERWRITTEN_CHANGELOG);
        }
        return configs;
    }

    /**
     * Bounds how long a deleted row lives on physically (ERASURE_MAX_DELAY_S): changelog segments roll and
     * are compacted, and their tombstones dropped, within fractions of the bound; the per-user stores'
     * RocksDB files are compacted within half of it ({@code CompactingRocksDbStore}); the processor appends
     * a heartbeat to every store so quiet partitions roll too.
     */
    private static void erasure(Properties p, Duration maxDelay) {
        long ms = maxDelay.toMillis();
        p.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), Long.toString(Math.max(1000, ms / 6)));
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                Long.toString(Math.max(1000, ms / 3)));
        p.put(StreamsConfig.topicPrefix(TopicConfig.DELETE_RETENTION_MS_CONFIG), Long.toString(Math.max(1000, ms / 6)));
        p.put(
                StreamsConfig.topicPrefix(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG),
                Long.toString(Topics.fileDeleteDelayMs(maxDelay)));
    }

    /** Adds static membership, the session timeout and standby replicas to the Streams properties. */
    private static void membership(Properties p, Membership m) {
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), m.instanceId());
        int session = (int) m.sessionTimeout().toMillis();
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), session);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), Math.max(500, session / 4));
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, m.standbys());
    }
}
