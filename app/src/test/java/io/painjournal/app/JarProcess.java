package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of the real fat jar as a separate process, its output captured in files (integration tests). */
record JarProcess(Process process, int port, Path stdout, Path stderr, Duration readyAfter) {

    static final Path JAR = Path.of(System.getProperty("painjournal.jar", "target/pain-journal.jar"));
    /** The class-data archive the build makes beside the jar, used as the README's run command does. */
    static final Path ARCHIVE = JAR.resolveSibling("pain-journal.jsa");

    private static final Pattern BOOTSTRAP = Pattern.compile("embedded Kafka broker serving at (\\S+)");

    /**
     * Starts the jar on {@code dataDir} (loopback, a free port, no inherited Kafka or secret settings, then
     * {@code extraEnv}) and waits until {@code /health/ready} answers 200. Output goes to
     * {@code <dataDir>-<name>.out/.err}.
     */
    static JarProcess start(Path dataDir, Map<String, String> extraEnv, String name) throws Exception {
        assertTrue(Files.exists(JAR), "the fat jar is built before integration tests: " + JAR.toAbsolutePath());
        int port = TestApps.freePort();
        Path out = dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".out");
        Path err = dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".err");
        List<String> command = new java.util.ArrayList<>(List.of(javaBinary(), "-Xmx512m"));
        if (Files.exists(ARCHIVE)) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath());
        }
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        pb.environment().remove("JWT_SECRET");
        pb.environment().put("HTTP_HOST", "127.0.0.1");
        pb.environment().put("HTTP_PORT", Integer.toString(port));
        pb.environment().put("DATA_DIR", dataDir.toString());
        pb.environment().putAll(extraEnv);
        long started = System.nanoTime();
        Process process = pb.start();
        awaitReady(process, port, err, Duration.ofSeconds(90));
        return new JarProcess(process, port, out, err, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Polls {@code /health/ready} every 50 ms (the time to ready is measured with it). */
    private static void awaitReady(Process process, int port, Path err, Duration timeout) throws Exception {
        TestHttp http = new TestHttp(port);
        try {
            TestApps.polling("the jar ready", timeout, Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError(
                            "the jar exited with " + process.exitValue() + ":\n" + Files.readString(err));
                }
                try {
                    return http.get("/health/ready", null).status() == 200;
                } catch (AssertionError notListeningYet) {
                    return false; // connection refused while starting
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            process.destroyForcibly();
            Path kept = Path.of("target", err.getFileName() + ".not-ready");
            Files.copy(err, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> lines = Files.readAllLines(err);
            throw new AssertionError("not ready within " + timeout + " (whole log in " + kept.toAbsolutePath()
                    + "), its end:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
        }
    }

    String out() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** The embedded broker's address, from the log. */
    String bootstrap() throws IOException {
        Matcher m = BOOTSTRAP.matcher(err());
        assertTrue(m.find(), "the broker address is logged");
        return m.group(1);
    }

    /** SIGTERM, then wait: the shutdown hook must finish and the JVM exit on its own. */
    void terminate() throws Exception {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exited within 60 s of SIGTERM");
        assertEquals(143, process.exitValue(), "terminated by SIGTERM after the shutdown hook ran");
        assertTrue(
                Pattern.compile("Application\\W.*\\Wstopped").matcher(err()).find(),
                "clean shutdown logged:\n" + err());
    }

    /** SIGKILL: no shutdown hook, no flush, as a power cut of the process. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "killed");
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
