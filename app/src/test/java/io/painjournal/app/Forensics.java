package io.painjournal.app;

import io.painjournal.events.EventCodec;
import io.painjournal.privacy.DataKeys;
import io.painjournal.privacy.MasterKey;
import io.painjournal.privacy.Pseudonyms;
import io.painjournal.topics.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

/**
 * Reads everything under some data directories as an auditor holding the server's master key would, and
 * says where one user's data is still readable:
 * <ul>
 *   <li><b>raw</b>: a file whose bytes hold the user id or one of the user's texts;</li>
 *   <li><b>record</b>: a Kafka record (every segment, every batch decompressed) whose key or value holds
 *       them, or a sealed journal record that opens, with a data key found anywhere on disk, to an event
 *       of the user;</li>
 *   <li><b>key</b>: a wrapped data key of the user (a keys-topic record {@code pseudonym|keyId} with a value);</li>
 *   <li><b>row</b>: a row of the user's sessions, entries, contributions, trials or arm memberships (a changelog
 *       record or a RocksDB entry keyed {@code pseudonym|…} or {@code …|pseudonym}), or a RocksDB entry that holds
 *       the user id or a text.</li>
 * </ul>
 * What may remain by the contract (the pseudonym in seen ids, the ledger, erasure markers and sealed
 * records nobody can open) is not a finding.
 */
final class Forensics {

    private static final List<String> USER_STORES = List.of(
            "sessions",
            "entries",
            "contributions",
            "trials",
            "cohort-members",
            "user-events",
            "data-keys",
            "pending-events");

    private final Pseudonyms pseudonyms;
    private final DataKeys dataKeys;
    private final String userId;
    private final String pseudonym;
    private final List<byte[]> needles = new ArrayList<>();

    Forensics(MasterKey master, String userId, String... texts) {
        this.pseudonyms = new Pseudonyms(master);
        this.dataKeys = new DataKeys(master);
        this.userId = userId;
        this.pseudonym = pseudonyms.of(userId);
        needles.add(userId.getBytes(StandardCharsets.UTF_8));
        for (String t : texts) {
            needles.add(t.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Rounds of a scan at most: one per batch of files the writers renamed or wrote while it ran. */
    private static final int MAX_ROUNDS = 50;

    /**
     * Every finding, as "kind: file: what". The directories are read while the writers work: RocksDB
     * compaction writes its output before it deletes its inputs, Kafka renames segments ({@code .cleaned},
     * {@code .swap}, {@code .deleted}) and deletes them. So the scan goes round until no file it has not
     * read is left: data that moved while it read one name is read under the next; an SST that could not
     * be opened yet (being written) is read again in the next round. A file that went away before it was
     * read held nothing that is not in a newer file. When the writers outrun {@value #MAX_ROUNDS} rounds,
     * an "unsettled" finding says so (a scan must not come back clean without having read everything).
     */
    List<String> scan(List<Path> dirs) {
        List<String> findings = new ArrayList<>();
        Map<String, byte[]> wrappedKeys = new HashMap<>();
        java.util.Set<Path> read = new java.util.HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Path> files = list(dirs);
            files.removeAll(read);
            if (files.isEmpty()) {
                return findings;
            }
            for (Path f : files) { // first every data key on disk, so any journal record can be tried with it
                String dir = f.getParent().getFileName().toString();
                if (isSegment(f) && (dir.startsWith(Topics.KEYS_NAME + "-") || dir.contains("-data-keys-changelog-"))) {
                    for (Record r : records(f)) {
                        if (r.hasKey() && r.hasValue()) {
                            String key = utf8(r.key());
                            wrappedKeys.put(key, bytes(r.value()));
                            if (key.startsWith(pseudonym + "|") && !key.endsWith("|erased")) {
                                findings.add("key: " + f + ": " + key);
                            }
                        }
                    }
                }
            }
            for (Path f : files) {
                if (scanFile(f, wrappedKeys, findings)) {
                    read.add(f);
                }
            }
        }
        findings.add("unsettled: files kept changing through " + MAX_ROUNDS + " rounds of the scan");
        return findings;
    }

    /** Every regular file under the dirs; one that goes away while walking does not end the walk. */
    private static List<Path> list(List<Path> dirs) {
        List<Path> files = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // went away while walking
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Adds what one file holds of the user; false when it is to be read again (an SST being written). */
    private boolean scanFile(Path f, Map<String, byte[]> wrappedKeys, List<String> findings) {
        if (isSegmentIndex(f)) {
            return true; // offsets, file positions and timestamps only, preallocated to 10 MB each
        }
        byte[] raw = read(f);
        if (raw == null) {
            return true; // went away: its data, if it moved, is under a name the next round reads
        }
        if (holdsAny(raw)) {
            findings.add("raw: " + f);
        }
        String path = f.toString();
        boolean userStore = USER_STORES.stream()
                .anyMatch(s -> path.contains("-" + s + "-changelog-") || path.contains("/rocksdb/" + s + "/"));
        if (isSegment(f)) {
            for (Record r : records(f)) {
                byte[] key = r.hasKey() ? bytes(r.key()) : new byte[0];
                byte[] value = r.hasValue() ? bytes(r.value()) : null;
                if (holdsAny(key) || (value != null && holdsAny(value))) {
                    findings.add("record: " + f + ": plain");
                } else if (userStore && value != null && isUserRow(utf8(key))) {
                    findings.add("row: " + f + ": a changelog record");
                } else if (value != null && DataKeys.isSealed(value) && opensToTheUser(key, value, wrappedKeys)) {
                    findings.add("record: " + f + ": opens with a data key on disk");
                }
            }
            return true;
        }
        return !path.endsWith(".sst") || sstEntries(f, userStore, findings) || !Files.exists(f);
    }

    /** A row of the user: keyed {@code pseudonym|…}, or an arm's member {@code cohort|technique|pseudonym}. */
    private boolean isUserRow(String key) {
        if (key.endsWith(Topics.ERASED_SUFFIX)) {
            return false; // the marker that one of the user's keys was destroyed: it holds no key
        }
        return key.startsWith(pseudonym + "|") || key.endsWith("|" + pseudonym);
    }

    private boolean opensToTheUser(byte[] recordKey, byte[] sealed, Map<String, byte[]> wrappedKeys) {
        String p = utf8(recordKey);
        String keyRecord = p + "|" + DataKeys.keyIdOf(sealed);
        byte[] wrapped = wrappedKeys.get(keyRecord);
        if (wrapped == null) {
            return false;
        }
        try {
            byte[] plain = dataKeys.open(p, dataKeys.unwrap(keyRecord, wrapped), sealed);
            return EventCodec.decode(plain).userId().equals(userId);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Adds the SST file's entries of the user; false when it cannot be opened (being written). */
    private boolean sstEntries(Path file, boolean userStore, List<String> findings) {
        RocksDB.loadLibrary();
        List<String> found = new ArrayList<>();
        try (Options options = new Options();
                SstFileReader reader = new SstFileReader(options)) {
            reader.open(file.toString());
            try (ReadOptions read = new ReadOptions();
                    SstFileReaderIterator it = reader.newIterator(read)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    byte[] value = it.value();
                    if (holdsAny(key) || holdsAny(value)) {
                        found.add("row: " + file + ": an entry naming the user");
                    } else if (userStore && isUserRow(utf8(key))) {
                        found.add("row: " + file + ": an entry");
                    }
                }
            }
        } catch (Exception e) {
            return false;
        }
        findings.addAll(found);
        return true;
    }

    /** A segment's offset, time or aborted-transaction index (also as compaction leaves it behind). */
    private static boolean isSegmentIndex(Path f) {
        return f.getFileName().toString().matches("\\d{20}\\.(index|timeindex|txnindex)(\\.[a-z]+)?");
    }

    private static boolean isSegment(Path f) {
        // a live segment, and the old ones compaction leaves behind: .log.cleaned, .log.swap, .log.deleted
        return f.getFileName().toString().matches("\\d{20}\\.log(\\.[a-z]+)?") && f.getParent() != null;
    }

    private static List<Record> records(Path file) {
        List<Record> out = new ArrayList<>();
        try (FileRecords records = FileRecords.open(file.toFile(), false)) {
            for (RecordBatch batch : records.batches()) {
                for (Record r : batch) { // decompressed
                    out.add(r);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the segment is being written or deleted
        }
        return out;
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return null;
        }
    }

    private boolean holdsAny(byte[] haystack) {
        for (byte[] needle : needles) {
            if (indexOf(haystack, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String utf8(ByteBuffer b) {
        return utf8(bytes(b));
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
