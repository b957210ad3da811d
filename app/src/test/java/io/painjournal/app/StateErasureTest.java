package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.privacy.MasterKey;
import io.painjournal.privacy.Pseudonyms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

/**
 * The state part of erasure, read from disk as an auditor would: after {@code DELETE /v1/users/{id}}, within
 * {@code ERASURE_MAX_DELAY_S} (30 s here) no changelog segment (every record of every batch) and no RocksDB
 * file (every entry of every SST) under DATA_DIR holds a row of the user's sessions, entries or
 * contributions; before the deletion the same scan finds them, so it can fail.
 */
class StateErasureTest {

    private static final String USER = "erase-me-4711";
    private static final List<String> USER_STORES = List.of("sessions", "entries", "contributions");

    @Test
    void aForgottenUsersRowsArePhysicallyGoneWithinTheBound(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = TestApps.env(dataDir);
        env.put("ERASURE_MAX_DELAY_S", System.getProperty("erasure.delay", "30"));
        String prefix = new Pseudonyms(MasterKey.read(Path.of(TestApps.masterKeyFile()))).of(USER) + "|";
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String token = TestJwt.token(USER, "user");
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        202,
                        http.postJson(
                                        "/v1/sessions",
                                        token,
                                        IngestEndToEndTest.session(
                                                UUID.randomUUID().toString(), USER, ""))
                                .status());
            }
            IngestEndToEndTest.postPainScore(http, token, USER);
            TestApps.await(
                    "the user's rows on disk",
                    Duration.ofSeconds(60),
                    () -> found(dataDir, prefix).size() >= 3);
        }
        // A clean stop writes the stores' memtables to SST files: the user's rows are then in RocksDB on disk too.
        List<String> before = found(dataDir, prefix);
        assertTrue(before.stream().anyMatch(h -> h.endsWith("an entry")), "in RocksDB: " + before);
        try (Application app = TestApps.start(env)) {
            TestHttp http = new TestHttp(app.config().httpPort());
            String token = TestJwt.token(USER, "user");
            TestApps.await(
                    "ready again",
                    Duration.ofSeconds(60),
                    () -> http.get("/health/ready", null).status() == 200);
            assertEquals(202, http.delete("/v1/users/" + USER, token).status());
            long forgotten = System.nanoTime();
            List<String> left = found(dataDir, prefix);
            long deadline = forgotten + Duration.ofSeconds(60).toNanos();
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                left = found(dataDir, prefix);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - forgotten);
            System.out.println("erased from disk in " + took);
            assertEquals(List.of(), left, "still on disk after " + took);
            assertTrue(took.compareTo(Duration.ofSeconds(30)) <= 0, "gone, but only after " + took);
        }
    }

    /** Where the user's rows are on disk: "file: key" for every record or SST entry keyed by their pseudonym. */
    private static List<String> found(Path dataDir, String prefix) {
        byte[] needle = prefix.getBytes(StandardCharsets.UTF_8);
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = file.toString();
                boolean userStore = USER_STORES.stream()
                        .anyMatch(s -> path.contains("-" + s + "-changelog-") || path.contains("/rocksdb/" + s + "/"));
                if (!userStore) {
                    continue;
                }
                if (path.endsWith(".log") && path.contains("-changelog-")) {
                    segmentHits(file, needle, hits);
                } else if (path.endsWith(".sst")) {
                    sstHits(file, needle, hits);
                }
            }
        } catch (IOException e) {
            // a file went away while walking (compaction): look again next time
        }
        return hits;
    }

    private static void segmentHits(Path file, byte[] needle, List<String> hits) {
        try (FileRecords records = FileRecords.open(file.toFile(), false)) {
            for (RecordBatch batch : records.batches()) {
                for (Record r : batch) {
                    if (r.hasKey() && r.hasValue() && startsWith(r.key(), needle)) {
                        hits.add(file.getFileName() + ": a record");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the segment is being written or deleted
        }
    }

    private static void sstHits(Path file, byte[] needle, List<String> hits) {
        RocksDB.loadLibrary();
        try (Options options = new Options();
                SstFileReader reader = new SstFileReader(options)) {
            reader.open(file.toString());
            try (ReadOptions read = new ReadOptions();
                    SstFileReaderIterator it = reader.newIterator(read)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    if (startsWith(java.nio.ByteBuffer.wrap(it.key()), needle)) {
                        hits.add(file.getFileName() + ": an entry");
                    }
                }
            }
        } catch (Exception e) {
            // the file is being written or compacted away
        }
    }

    private static boolean startsWith(java.nio.ByteBuffer key, byte[] prefix) {
        if (key.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key.get(key.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
