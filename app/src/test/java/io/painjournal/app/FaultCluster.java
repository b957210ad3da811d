package io.painjournal.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The deployment of docker-compose.yml on a real replicated cluster, each process a host of its own: three
 * KRaft brokers (broker and controller in one JVM each), ingest, two analytics instances with a standby
 * replica, api, in network namespaces on one bridge ({@link ClusterNet}). Topics are replicated three times
 * with {@code min.insync.replicas} 2. The test reaches every host over the bridge.
 */
final class FaultCluster implements AutoCloseable {

    static final List<String> BROKERS = List.of("b1", "b2", "b3");
    static final List<String> HOSTS = List.of("b1", "b2", "b3", "ingest", "an1", "an2", "api");
    static final int BROKER_PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    static final int HTTP_PORT = 8080;

    final ClusterNet net;
    final Path dir;
    final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    final String bootstrap;
    private final Admin admin;

    private FaultCluster(ClusterNet net, Path dir) {
        this.net = net;
        this.dir = dir;
        List<String> addresses = new ArrayList<>();
        for (String b : BROKERS) {
            addresses.add(net.host(b).address() + ":" + BROKER_PORT);
        }
        this.bootstrap = String.join(",", addresses);
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10000));
    }

    /** Brings everything up and waits until api answers; on failure tears down what it made. */
    static FaultCluster start(Path dir) throws Exception {
        ClusterNet net = ClusterNet.create(HOSTS);
        FaultCluster c = null;
        try {
            c = new FaultCluster(net, dir);
            c.startBrokers();
            c.startProduct();
            return c;
        } catch (Exception | Error e) {
            if (c != null) {
                c.close();
            } else {
                net.close();
            }
            throw e;
        }
    }

    private void startBrokers() throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < BROKERS.size(); i++) {
            voters.add((i + 1) + "@" + net.host(BROKERS.get(i)).address() + ":" + CONTROLLER_PORT);
        }
        for (int i = 0; i < BROKERS.size(); i++) {
            String name = BROKERS.get(i);
            ClusterNet.Host h = net.host(name);
            Path props = dir.resolve(name + ".properties");
            writeBrokerProperties(props, i + 1, h.address(), String.join(",", voters), dir.resolve(name + "-log"));
            ClusterNet.run(List.of(
                    java(),
                    "-cp",
                    JarProcess.JAR.toAbsolutePath().toString(),
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    clusterId,
                    "-c",
                    props.toString()));
            nodes.put(
                    name,
                    new ClusterNode(
                            name,
                            h,
                            List.of("-cp", JarProcess.JAR.toAbsolutePath().toString(), "kafka.Kafka", props.toString()),
                            Map.of(),
                            dir.resolve(name + ".log")));
        }
        for (String b : BROKERS) {
            nodes.get(b).start();
        }
        TestApps.await("three brokers serving", Duration.ofSeconds(180), () -> brokersUp() == 3);
    }

    private static void writeBrokerProperties(Path file, int id, String address, String voters, Path logDir)
            throws IOException {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(id));
        p.put("controller.quorum.voters", voters);
        p.put(
                "listeners",
                "PLAINTEXT://" + address + ":" + BROKER_PORT + ",CONTROLLER://" + address + ":" + CONTROLLER_PORT);
        p.put("advertised.listeners", "PLAINTEXT://" + address + ":" + BROKER_PORT);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("unclean.leader.election.enable", "false");
        p.put("offsets.topic.replication.factor", "3");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A dead producer's open transaction is aborted within a second of its timeout (10 s by default):
        // the new owner of a killed analytics instance's partitions waits for that abort.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // Small brokers: three of them and the product share two cores.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.replica.fetchers", "1");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("num.recovery.threads.per.data.dir", "1");
        // A replica that stops fetching leaves the ISR after 10 s (30 s by default), so faults show sooner.
        p.put("replica.lag.time.max.ms", "10000");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "fault-suite broker " + id);
        }
    }

    private void startProduct() throws Exception {
        node("ingest", Map.of("ROLES", "ingest")).start();
        TestApps.await("ingest ready", Duration.ofSeconds(180), () -> ready("ingest"));
        for (String an : List.of("an1", "an2")) {
            node(
                            an,
                            Map.of(
                                    "ROLES",
                                    "analytics",
                                    "ANALYTICS_STANDBY_REPLICAS",
                                    "1",
                                    "ANALYTICS_SESSION_TIMEOUT_MS",
                                    "6000"))
                    .start(); // as docker-compose.yml
        }
        String analyticsUrls = "http://" + net.host("an1").address() + ":" + HTTP_PORT + ",http://"
                + net.host("an2").address() + ":" + HTTP_PORT;
        node("api", Map.of("ROLES", "api", "ANALYTICS_URL", analyticsUrls)).start();
        TestApps.await(
                "analytics and api ready", Duration.ofSeconds(240), () -> ready("an1") && ready("an2") && ready("api"));
    }

    /** A product process of the compose layout: the fat jar with its roles, on the cluster. */
    private ClusterNode node(String name, Map<String, String> roleEnv) throws IOException {
        ClusterNet.Host h = net.host(name);
        Map<String, String> env = new HashMap<>();
        env.put("JWT_SECRET", TestJwt.SECRET);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("MASTER_KEY_FILE", TestApps.masterKeyFile());
        env.put("KAFKA_REPLICATION_FACTOR", "3");
        env.put("HTTP_HOST", h.address());
        env.put("HTTP_PORT", Integer.toString(HTTP_PORT));
        env.put("ADVERTISED_HOST", h.address());
        env.put("HTTP_INSTANCES", "1");
        env.put("DATA_DIR", dir.resolve(name + "-data").toString());
        env.put("RATE_LIMIT_TOKEN_PER_S", "0");
        env.put("RATE_LIMIT_ADDRESS_PER_S", "0");
        env.put("SERVICE_NAME", name);
        env.putAll(roleEnv);
        ClusterNode n = new ClusterNode(
                name, h, List.of("-jar", JarProcess.JAR.toAbsolutePath().toString()), env, dir.resolve(name + ".log"));
        nodes.put(name, n);
        return n;
    }

    ClusterNode node(String name) {
        return nodes.get(name);
    }

    TestHttp http(String name) {
        return new TestHttp(net.host(name).address(), HTTP_PORT);
    }

    /** {@code /health/ready} of a product process answers 200. */
    boolean ready(String name) {
        try {
            return http(name).get("/health/ready", null).status() == 200;
        } catch (AssertionError notListening) {
            return false;
        }
    }

    Admin admin() {
        return admin;
    }

    /** Brokers registered and unfenced, as the cluster's metadata says. */
    int brokersUp() {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Partitions of every topic whose in-sync replicas are fewer than three (empty once fully healed). */
    List<String> underReplicated() {
        try {
            List<String> under = new ArrayList<>();
            for (TopicDescription d : descriptions().values()) {
                d.partitions().stream()
                        .filter(p -> p.isr().size() < 3 || p.leader() == null)
                        .forEach(p -> under.add(d.name() + "-" + p.partition()));
            }
            return under;
        } catch (Exception e) {
            return List.of("(metadata not available: " + e.getMessage() + ")");
        }
    }

    Map<String, TopicDescription> descriptions() throws Exception {
        return admin.describeTopics(admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names()
                        .get(10, TimeUnit.SECONDS))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS);
    }

    /** The broker leading a partition. */
    ClusterNode leaderOf(String topic, int partition) throws Exception {
        return broker(admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .get(partition)
                .leader()
                .id());
    }

    /** The broker that is the active KRaft controller. */
    ClusterNode activeController() throws Exception {
        return broker(admin.describeMetadataQuorum()
                .quorumInfo()
                .get(10, TimeUnit.SECONDS)
                .leaderId());
    }

    private ClusterNode broker(int nodeId) {
        return nodes.get(BROKERS.get(nodeId - 1));
    }

    /** The brokers' hosts, e.g. to cut a process off from all of them. */
    List<ClusterNet.Host> brokerHosts() {
        return BROKERS.stream().map(net::host).toList();
    }

    /** The topic configs in force (for the checks of the product's own settings). */
    Map<String, Config> topicConfigs(List<String> topics) throws Exception {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        Map<String, Config> configs = new LinkedHashMap<>();
        admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS).forEach((r, c) -> configs.put(r.name(), c));
        return configs;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        List<ClusterNode> all = new ArrayList<>(nodes.values());
        for (ClusterNode n : all) {
            try {
                if (n.alive()) {
                    n.resume(); // a paused JVM cannot be killed into a clean state otherwise
                }
                n.kill();
            } catch (Exception ignored) {
                // going anyway
            }
        }
        net.close();
    }
}
