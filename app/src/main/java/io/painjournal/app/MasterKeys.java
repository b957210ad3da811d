package io.painjournal.app;

import io.painjournal.privacy.MasterKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@link MasterKey} comes from: {@code MASTER_KEY_FILE} (required with an external Kafka, where
 * several processes must share it), else, for the embedded single-process default, {@code DATA_DIR/master.key},
 * made on the first start with a warning, like the trial JWT secret (but kept, since the pseudonyms of
 * the stored data depend on it). {@code java -cp pain-journal.jar io.painjournal.app.MasterKeys FILE}
 * writes a new key to FILE unless one is there (docker-compose's {@code keygen} service runs it).
 */
public final class MasterKeys {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
    static final String DEFAULT_FILE = "master.key";

    private MasterKeys() {}

    static MasterKey load(AppConfig config, Path dataDir) throws IOException {
        if (config.masterKey().isPresent()) {
            return config.masterKey().get();
        }
        Path file = dataDir.resolve(DEFAULT_FILE);
        if (createIfAbsent(file)) {
            LOG.warn(
                    "No MASTER_KEY_FILE was set, so this process made a master key in {}. It pseudonymises "
                            + "every stored user id: keep it with the data (a new one orphans the stored rows) and set "
                            + "MASTER_KEY_FILE for any deployment of more than one process.",
                    file);
        }
        return read(file);
    }

    private static MasterKey read(Path file) throws IOException {
        try {
            return MasterKey.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    file + " is not a master key (" + e.getMessage() + "); restore it from "
                            + "the backup kept with the data, or set MASTER_KEY_FILE",
                    e);
        }
    }

    /** Writes a new key to {@code file}, readable by its owner only; false when one is there already. */
    static boolean createIfAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                ".master",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, MasterKey.generate() + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
            return false;
        }
        return true;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MasterKeys FILE   (writes a new master key to FILE unless one is there)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        System.out.println(createIfAbsent(file) ? "wrote a new master key to " + file : file + " is there; kept");
    }
}
