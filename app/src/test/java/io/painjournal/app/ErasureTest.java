package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.privacy.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure as an auditor checks it (API.md, DELETE): a user posts sessions with a text of their own, a
 * pain score and a trial; everything under every DATA_DIR is read with {@link Forensics} (raw bytes, every Kafka record
 * decompressed and, when sealed, tried with every data key on disk, every RocksDB entry). Before the
 * deletion it finds the user readable (so it can fail); within {@code ERASURE_MAX_DELAY_S} = 30 s of
 * {@code DELETE /v1/users/{id}} it finds nothing. On the all-in-one jar's layout and on the split one
 * (ingest with the broker; analytics and api in another process with its own DATA_DIR).
 */
class ErasureTest {

    private static final String USER = "erase-me-4711";
    private static final String TEXT = "left-shoulder-blade-8823";
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void allInOne(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = erasureEnv(dataDir);
        try (Application app = TestApps.start(env)) {
            post(app, app);
            awaitReadable(List.of(dataDir));
        }
        // A clean stop writes the stores' memtables to SST files: the user's rows are in RocksDB on disk too.
        List<String> before = forensics().scan(List.of(dataDir));
        assertTrue(before.stream().anyMatch(h -> h.startsWith("row:") && h.contains(".sst")), "in RocksDB: " + before);
        assertTrue(before.stream().anyMatch(h -> h.contains("cohort-members")), "a member of an arm: " + before);
        try (Application app = TestApps.start(env)) {
            awaitReady(app);
            forgetAndAwaitErasure(app, List.of(dataDir));
        }
        assertEquals(List.of(), forensics().scan(List.of(dataDir)), "after a clean stop too");
    }

    @Test
    void splitDeployment(@TempDir Path ingestDir, @TempDir Path analyticsDir) throws Exception {
        Map<String, String> ingestEnv = erasureEnv(ingestDir);
        ingestEnv.put("ROLES", "ingest");
        try (Application ingest = TestApps.start(ingestEnv)) {
            Map<String, String> env = erasureEnv(analyticsDir);
            env.put("ROLES", "analytics,api");
            env.put("ADVERTISED_HOST", "127.0.0.1");
            env.put("KAFKA_BOOTSTRAP_SERVERS", ingest.bootstrapServers());
            try (Application analytics = TestApps.start(env)) {
                awaitReady(analytics);
                post(ingest, analytics);
                awaitReadable(List.of(ingestDir, analyticsDir));
                forgetAndAwaitErasure(ingest, List.of(ingestDir, analyticsDir));
            }
        }
    }

    private static Map<String, String> erasureEnv(Path dataDir) {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("ERASURE_MAX_DELAY_S", Long.toString(BOUND.toSeconds()));
        return env;
    }

    private static Forensics forensics() throws Exception {
        return new Forensics(MasterKey.read(Path.of(TestApps.masterKeyFile())), USER, TEXT);
    }

    /** Three sessions with the user's own text and a pain score, through ingest; counted by analytics. */
    private static void post(Application ingest, Application api) throws Exception {
        TestHttp http = new TestHttp(ingest.config().httpPort());
        String token = TestJwt.token(USER, "user");
        for (int i = 0; i < 3; i++) {
            String body = IngestEndToEndTest.session(
                    UUID.randomUUID().toString(), USER, ",\"bodyArea\":\"" + TEXT + "\",\"cohort\":\"erasure-arm\"");
            assertEquals(202, http.postJson("/v1/sessions", token, body).status());
        }
        IngestEndToEndTest.postPainScore(http, token, USER);
        String trialId = UUID.randomUUID().toString();
        assertEquals(
                202,
                http.postJson(
                                "/v1/users/" + USER + "/trials",
                                token,
                                "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"melt\",\"tennis-ball\"],"
                                        + "\"startDate\":\"2026-11-02\"}")
                        .status());
        TestHttp answers = new TestHttp(api.config().httpPort());
        TestApps.await(
                "the user's trial kept",
                Duration.ofSeconds(60),
                () -> answers.get("/v1/users/" + USER + "/trials/" + trialId, token)
                                .status()
                        == 200);
        TestApps.await(
                "the user's sessions counted",
                Duration.ofSeconds(60),
                () -> answers.get("/v1/users/" + USER + "/techniques", token)
                        .body()
                        .contains("\"sessions\":3"));
    }

    private static void awaitReadable(List<Path> dirs) throws Exception {
        Forensics forensics = forensics();
        TestApps.await("the user readable on disk with the server's keys", Duration.ofSeconds(60), () -> {
            List<String> found = forensics.scan(dirs);
            return found.stream().anyMatch(h -> h.startsWith("key:"))
                    && found.stream().anyMatch(h -> h.startsWith("row:") && h.contains("trials"))
                    && found.stream().anyMatch(h -> h.startsWith("row:") && h.contains("data-keys"))
                    && found.stream().anyMatch(h -> h.contains("opens with a data key"))
                    && found.stream().anyMatch(h -> h.startsWith("row:"));
        });
    }

    /** "row: .../kafka/log/x-changelog-0/0001.log: a changelog record" becomes "row x-changelog-0". */
    private static Set<String> kindsOf(List<String> findings) {
        Set<String> kinds = new java.util.TreeSet<>();
        for (String f : findings) {
            String[] parts = f.split(": ", 3);
            Path file = Path.of(parts.length > 1 ? parts[1] : f);
            kinds.add(parts[0] + " "
                    + (file.getParent() == null ? file : file.getParent().getFileName()));
        }
        return kinds;
    }

    private static void awaitReady(Application app) throws Exception {
        TestHttp http = new TestHttp(app.config().httpPort());
        TestApps.await(
                "ready",
                Duration.ofSeconds(60),
                () -> http.get("/health/ready", null).status() == 200);
    }

    private static void forgetAndAwaitErasure(Application ingest, List<Path> dirs) throws Exception {
        TestHttp http = new TestHttp(ingest.config().httpPort());
        assertEquals(
                202,
                http.delete("/v1/users/" + USER, TestJwt.token(USER, "user")).status());
        long forgotten = System.nanoTime();
        Forensics forensics = forensics();
        List<List<String>> left = new java.util.ArrayList<>(List.of(forensics.scan(dirs)));
        Set<String> kinds = new java.util.HashSet<>();
        Duration[] lastScan = {Duration.ZERO};
        try {
            TestApps.polling("the user erased from disk", BOUND.multipliedBy(2), Duration.ofMillis(500))
                    .until(() -> {
                        long scanStart = System.nanoTime();
                        List<String> found = forensics.scan(dirs);
                        lastScan[0] = Duration.ofNanos(System.nanoTime() - scanStart);
                        left.set(0, found);
                        Set<String> now = kindsOf(found);
                        if (!found.isEmpty() && !now.equals(kinds)) { // where the data still is: what bounds the time
                            System.out.println(
                                    "left after " + Duration.ofNanos(System.nanoTime() - forgotten) + ": " + now);
                            kinds.clear();
                            kinds.addAll(now);
                        }
                        return found.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below with what is left
        }
        Duration took = Duration.ofNanos(System.nanoTime() - forgotten);
        System.out.println(
                "erased from disk in " + took + " (bound " + BOUND + "; its last scan took " + lastScan[0] + ")");
        assertEquals(List.of(), left.get(0), "still readable after " + took);
        assertTrue(took.compareTo(BOUND) <= 0, "gone, but only after " + took);
    }
}
