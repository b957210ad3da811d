package io.painjournal.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM, for local
 * runs and tests. Its log lives under the given directory, so a restart keeps every event; ports are
 * free loopback ports chosen at each start.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats the storage on first use, then starts the broker; returns once it serves clients. */
    public static EmbeddedKafka start(Path dir) throws IOException {
        return start(dir, freePort());
    }

    /** The same on a given client port, e.g. to restart a broker where its clients expect it. */
    static EmbeddedKafka start(Path dir, int brokerPort) throws IOException {
        Path logDir = dir.toAbsolutePath().resolve("log");
        Files.createDirectories(logDir);
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // The default dedupe buffer takes 128 MB of heap; nothing here needs more than a few MB.
        props.put("log.cleaner.dedupe.buffer.size", "4194304");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(dir, props);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = HOST + ":" + brokerPort;
        LOG.info("embedded Kafka broker serving at {} with its log in {}", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap);
    }

    /** Writes meta.properties on first use; later starts find it and keep the cluster and its data. */
    private static void format(Path dir, Properties props) throws IOException {
        Path config = dir.toAbsolutePath().resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "embedded broker of this run (ports change at every start)");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {
                    "format", "--config", config.toString(),
                    "--cluster-id", Uuid.randomUuid().toString()}, print);
        }
        String output = captured.toString(StandardCharsets.UTF_8).trim();
        if (status != 0) {
            throw new IOException("formatting the embedded Kafka storage failed (" + status + "): " + output);
        }
        LOG.debug("kafka storage: {}", output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker and waits until its log is closed cleanly. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
