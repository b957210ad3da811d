package io.painjournal.app;

import io.painjournal.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the system's topics at start (idempotent) and checks that existing ones fit. */
final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {}

    /**
     * Waits for the cluster (up to {@code timeout}), then creates every missing topic of
     * {@link Topics#all}; returns the replication factor for the system's topics. An existing topic keeps its partitions: changing them would move users
     * between partitions and break per-user order, so a mismatch is only reported.
     */
    static short ensure(
            Admin admin, int partitions, Optional<Short> replicationFactor, Duration erasureMaxDelay, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Topics.TopicSpec> specs = Topics.all(erasureMaxDelay);
        long deadline = System.nanoTime() + timeout.toNanos();
        int brokers = awaitCluster(admin, deadline);
        short rf = replicationFactor.orElse((short) Math.min(3, brokers));
        Set<String> existing = admin.listTopics().names().get(remaining(deadline), TimeUnit.MILLISECONDS);
        // the keys topic is partitioned as the journal is: an existing journal's number wins over the setting's
        int journalPartitions = existing.contains(Topics.JOURNAL.name())
                ? describe(admin, List.of(Topics.JOURNAL), deadline)
                        .get(Topics.JOURNAL.name())
                        .partitions()
                        .size()
                : partitions;
        List<NewTopic> missing = new ArrayList<>();
        for (Topics.TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                Map<String, String> configs = new HashMap<>(spec.configs());
                configs.put("min.insync.replicas", Integer.toString(Math.max(1, rf - 1)));
                int count = spec.name().equals(Topics.KEYS_NAME)
                        ? journalPartitions
                        : spec.partitions().orElse(partitions);
                missing.add(new NewTopic(spec.name(), count, rf).configs(configs));
            } else if (spec.name().equals(Topics.KEYS_NAME)) {
                // its erasure timing follows ERASURE_MAX_DELAY_S of the current start
                set(admin, Map.of(spec.name(), spec.configs()), deadline);
            }
        }
        if (!missing.isEmpty()) {
            try {
                admin.createTopics(missing).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
                LOG.info(
                        "created topics {} with {} partitions, replication factor {}",
                        missing.stream().map(NewTopic::name).toList(),
                        partitions,
                        rf);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance was quicker
                    throw e;
                }
            }
        }
        Map<String, TopicDescription> described = describe(admin, specs, deadline);
        specs.stream()
                .filter(s -> s.partitions().isEmpty())
                .map(s -> described.get(s.name()))
                .forEach(d -> {
                    if (d.partitions().size() != partitions) {
                        LOG.warn(
                                "topic {} has {} partitions, KAFKA_PARTITIONS says {}; keeping {} (per-user order "
                                        + "depends on it)",
                                d.name(),
                                d.partitions().size(),
                                partitions,
                                d.partitions().size());
                    }
                });
        return rf;
    }

    /**
     * Sets configs of topics that exist already and leaves the missing ones alone: Kafka Streams gives a
     * changelog its configs only when it creates it, so one made by an earlier version gets those of this
     * version here ({@code AnalyticsRole.changelogConfigs}). Idempotent.
     */
    static void alignExisting(Admin admin, Map<String, Map<String, String>> configsByTopic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> existing = admin.listTopics().names().get(remaining(deadline), TimeUnit.MILLISECONDS);
        Map<String, Map<String, String>> present = new java.util.TreeMap<>();
        configsByTopic.forEach((topic, configs) -> {
            if (existing.contains(topic)) {
                present.put(topic, configs);
            }
        });
        if (!present.isEmpty()) {
            set(admin, present, deadline);
            LOG.info("topic configs set on existing topics: {}", present);
        }
    }

    private static void set(Admin admin, Map<String, Map<String, String>> configsByTopic, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> alter = new HashMap<>();
        configsByTopic.forEach((topic, configs) -> alter.put(
                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                configs.entrySet().stream()
                        .map(e ->
                                new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                        .toList()));
        admin.incrementalAlterConfigs(alter).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
    }

    /**
     * The topics' descriptions. Just after they are created the broker may not serve their metadata yet
     * (UnknownTopicOrPartition): asked again until it does or the deadline passes.
     */
    private static Map<String, TopicDescription> describe(Admin admin, List<Topics.TopicSpec> specs, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                return admin.describeTopics(
                                specs.stream().map(Topics.TopicSpec::name).toList())
                        .allTopicNames()
                        .get(remaining(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || remaining(deadline) <= 0) {
                    throw e;
                }
                Thread.sleep(Math.min(100, Math.max(1, remaining(deadline))));
            }
        }
    }

    private static int awaitCluster(Admin admin, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                return admin.describeCluster()
                        .nodes()
                        .get(Math.min(5000, remaining(deadline)), TimeUnit.MILLISECONDS)
                        .size();
            } catch (TimeoutException | ExecutionException e) {
                if (remaining(deadline) <= 0) {
                    throw e;
                }
                LOG.info("waiting for Kafka: {}", e.getMessage());
                Thread.sleep(Math.min(1000, Math.max(1, remaining(deadline))));
            }
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
