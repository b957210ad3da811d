package io.painjournal.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM, for local
 * runs and tests. Its log lives under the given directory, so a restart keeps every event.
 *
 * <p>Its two loopback ports are chosen once, at the first start, and kept in {@code ports.properties} beside
 * the log: the cluster's metadata remembers the broker's address, and a broker that came back elsewhere
 * after a crash left the transaction coordinator sending commit/abort markers to its previous port (the
 * restore then waited on a transaction nobody could finish). A kept port taken by another process is a
 * clear error at start, not a silent move.
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

    /** File beside the log that keeps the broker's ports from its first start. */
    static final String PORTS_FILE = "ports.properties";
    /**
     * How long the controller keeps a broker registered without heartbeats (Kafka's default: 9 s). A crash
     * no longer waits for it: the dead incarnation is fenced before the broker starts
     * ({@link #fenceCrashedIncarnation}). In one JVM heartbeats never cross a network.
     */
    static final int BROKER_SESSION_TIMEOUT_MS = 2000;

    static final int BROKER_HEARTBEAT_INTERVAL_MS = 400;
    /** Written by the broker's log manager on a clean shutdown, absent after a crash. */
    static final String CLEAN_SHUTDOWN = ".kafka_cleanshutdown";

    /**
     * Formats the storage on first use, then starts the broker on its kept ports; returns once it serves
     * clients. The first start never chooses one of the {@code taken} ports (the process's HTTP port, chosen
     * as free by whoever started it but not yet bound: a broker on it would receive HTTP requests).
     */
    public static EmbeddedKafka start(Path dir, java.util.Set<Integer> taken) throws IOException {
        Ports ports = Ports.keptOrNew(dir.toAbsolutePath(), 0, taken);
        return start(dir, ports.broker(), ports.controller());
    }

    /** The same on a given client port, e.g. to restart a broker where its clients expect it. */
    static EmbeddedKafka start(Path dir, int brokerPort) throws IOException {
        Ports ports = Ports.keptOrNew(dir.toAbsolutePath(), brokerPort, java.util.Set.of());
        return start(dir, ports.broker(), ports.controller());
    }

    private static EmbeddedKafka start(Path dir, int brokerPort, int controllerPort) throws IOException {
        Path logDir = dir.toAbsolutePath().resolve("log");
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.put(
                "listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
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
        // Abort a timed-out transaction (a dead producer's) within a second, not up to 10 s after its timeout.
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        props.put("broker.session.timeout.ms", Integer.toString(BROKER_SESSION_TIMEOUT_MS));
        props.put("broker.heartbeat.interval.ms", Integer.toString(BROKER_HEARTBEAT_INTERVAL_MS));
        // The default dedupe buffer takes 128 MB of heap; nothing here needs more than a few MB.
        props.put("log.cleaner.dedupe.buffer.size", "4194304");
        // erasure is bounded (ERASURE_MAX_DELAY_S): the cleaner looks for compactable logs every 2 s, not 15 s
        props.put("log.cleaner.backoff.ms", "2000");
        // files replaced by compaction or left by a deleted topic go 1 s later, not 60 s (erasure is bounded)
        props.put("log.segment.delete.delay.ms", "1000");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(dir, props);
        } else if (!Files.exists(logDir.resolve(CLEAN_SHUTDOWN))) {
            fenceCrashedIncarnation(props, controllerPort);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = HOST + ":" + brokerPort;
        LOG.info("embedded Kafka broker serving at {} with its log in {}", bootstrap, logDir);
        return new EmbeddedKafka(server, bootstrap);
    }

    /**
     * After a crash the cluster metadata still has the dead incarnation of the broker registered, unfenced,
     * leading every partition. Started as it is, the new broker leads under that stale registration, is
     * fenced when its session ends (the controller counts it from its own start), re-registers and leads
     * again. The transaction coordinator, completing the crashed producer's commit in that moment, skips
     * the partitions that had no leader ("likely deleted") and the transaction hangs half-written: restores
     * and consumers wait on it forever (seen in 1 of 18 kill -9 cycles, and in 2 of 4 trials of an independent check).
     * So the controller alone runs first, with a short broker session, until it has fenced the dead
     * incarnation ({@code FencedBrokerCount} 1, {@code ActiveBrokerCount} 0); the broker then starts fenced,
     * registers at once and leads from then on, and the coordinator finishes the commit on stable leaders.
     */
    private static void fenceCrashedIncarnation(Properties combined, int controllerPort) throws IOException {
        Properties p = new Properties();
        p.putAll(combined);
        p.put("process.roles", "controller");
        p.put("listeners", "CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT");
        p.remove("advertised.listeners");
        p.remove("inter.broker.listener.name");
        p.put("broker.session.timeout.ms", "500");
        p.put("broker.heartbeat.interval.ms", "100");
        long started = System.nanoTime();
        KafkaRaftServer controller = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        controller.startup();
        try {
            long deadline = started + TimeUnit.SECONDS.toNanos(30);
            long activeSince = 0;
            while (true) {
                boolean active = controllerGauge("ActiveControllerCount") == 1;
                long unfenced = controllerGauge("ActiveBrokerCount");
                activeSince = active ? (activeSince == 0 ? System.nanoTime() : activeSince) : 0;
                if (active && unfenced == 0 && controllerGauge("FencedBrokerCount") >= 1) {
                    break; // the crashed incarnation is fenced
                }
                if (active && unfenced == 0 && System.nanoTime() - activeSince > TimeUnit.SECONDS.toNanos(3)) {
                    break; // no broker was ever registered (a crash during the very first start)
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "the embedded broker's controller did not fence the crashed broker within 30 s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fencing the crashed broker", e);
        } finally {
            controller.shutdown();
            controller.awaitShutdown();
        }
        LOG.info(
                "the embedded broker was not shut down cleanly: its controller fenced the crashed incarnation in {} ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** A gauge of the active controller's metrics (JMX), -1 while it is not registered. */
    private static long controllerGauge(String name) {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("kafka.controller:type=KafkaController,name=" + name), "Value");
            return ((Number) v).longValue();
        } catch (Exception notYet) {
            return -1;
        }
    }

    /** Writes meta.properties on first use; later starts find it and keep the cluster and its data. */
    private static void format(Path dir, Properties props) throws IOException {
        Path config = dir.toAbsolutePath().resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "embedded broker as first formatted (its ports are kept in " + PORTS_FILE + ")");
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(
                    new String[] {
                        "format",
                        "--config",
                        config.toString(),
                        "--cluster-id",
                        Uuid.randomUuid().toString()
                    },
                    print);
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

    /** A port from {@code candidates} that is not {@code taken} (a released free port may come back at once). */
    static int freePortOtherThan(java.util.Set<Integer> taken, PortSource candidates) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = candidates.next();
            if (!taken.contains(port)) {
                return port;
            }
        }
        throw new IOException("no free port other than " + taken + " after 100 attempts");
    }

    /** Where free ports come from: the system's by default, scripted in tests. */
    @FunctionalInterface
    interface PortSource {
        int next() throws IOException;
    }

    /** The broker's client and controller ports, chosen at the first start and kept in {@link #PORTS_FILE}. */
    record Ports(int broker, int controller) {

        static Ports keptOrNew(Path dir) throws IOException {
            return keptOrNew(dir, 0, java.util.Set.of());
        }

        /** The kept ports; on the first start {@code brokerPort} (or a free port when 0) and a free one. */
        static Ports keptOrNew(Path dir, int brokerPort, java.util.Set<Integer> taken) throws IOException {
            Files.createDirectories(dir);
            Path file = dir.resolve(PORTS_FILE);
            Ports ports;
            if (Files.exists(file)) {
                ports = read(file);
                if (brokerPort != 0 && brokerPort != ports.broker()) {
                    throw new IOException("the embedded broker in " + dir + " keeps client port " + ports.broker()
                            + " (" + file + "), not " + brokerPort);
                }
            } else {
                int broker = brokerPort != 0 ? brokerPort : freePortOtherThan(taken, EmbeddedKafka::freePort);
                java.util.Set<Integer> takenNow = new java.util.HashSet<>(taken);
                takenNow.add(broker); // the controller's free port must not be the broker's, released a moment ago
                ports = new Ports(broker, freePortOtherThan(takenNow, EmbeddedKafka::freePort));
                Properties p = new Properties();
                p.setProperty("broker.port", Integer.toString(ports.broker()));
                p.setProperty("controller.port", Integer.toString(ports.controller()));
                Path tmp = dir.resolve(PORTS_FILE + ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(
                            out,
                            "ports of the embedded Kafka broker, kept across restarts: the cluster's metadata "
                                    + "remembers them");
                }
                Files.move(
                        tmp,
                        file,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            ports.requireFree(file);
            return ports;
        }

        private static Ports read(Path file) throws IOException {
            Properties p = new Properties();
            try (java.io.InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            try {
                return new Ports(
                        Integer.parseInt(p.getProperty("broker.port", "").trim()),
                        Integer.parseInt(p.getProperty("controller.port", "").trim()));
            } catch (NumberFormatException e) {
                throw new IOException(file + " must hold broker.port and controller.port (numbers); it holds " + p);
            }
        }

        /** Both ports can be bound now, or a clear error naming the port, the file and the way out. */
        private void requireFree(Path file) throws IOException {
            for (int port : new int[] {broker, controller}) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(HOST), port), 1);
                } catch (IOException taken) {
                    throw new IOException(
                            "the embedded Kafka broker's port " + HOST + ":" + port + " (kept in " + file
                                    + " since its first start) is in use by another process: stop that process, or delete "
                                    + file + " to choose new ports (" + taken.getMessage() + ")",
                            taken);
                }
            }
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
