package io.painjournal.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM of the fault suite (a broker or a role of the product, all from the fat jar), run inside its
 * host's network namespace. It can be killed (SIGKILL), paused (SIGSTOP) and resumed, stopped cleanly
 * (SIGTERM) and started again with the same data; its output is appended to one log per node.
 */
final class ClusterNode {

    /** Small JVMs: eight of them share two cores. */
    static final List<String> JVM =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k");

    final String name;
    final ClusterNet.Host host;
    private final List<String> arguments;
    private final Map<String, String> env;
    final Path log;
    private Process process;

    ClusterNode(String name, ClusterNet.Host host, List<String> arguments, Map<String, String> env, Path log) {
        this.name = name;
        this.host = host;
        this.arguments = List.copyOf(arguments);
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** {@code java <small JVM> <arguments>} in the host's namespace, the jar's class-data archive if there is one. */
    synchronized ClusterNode start() throws IOException {
        if (alive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        if (Files.exists(JarProcess.ARCHIVE)) {
            command.add("-XX:SharedArchiveFile=" + JarProcess.ARCHIVE.toAbsolutePath());
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
        }
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(ClusterNet.inNamespace(host, command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        pb.environment().remove("JWT_SECRET");
        pb.environment().putAll(env);
        Files.writeString(
                log,
                "==== start " + java.time.Instant.now() + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
        return this;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    synchronized void kill() throws InterruptedException {
        if (alive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then waits for the JVM to end on its own (a clean shutdown). */
    synchronized void terminate() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException(name + " did not stop within 90 s of SIGTERM");
            }
        }
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        ClusterNet.run(List.of("kill", "-" + signal, Long.toString(pid())));
    }

    @Override
    public String toString() {
        return name + "@" + host.address();
    }
}
