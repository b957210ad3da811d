package io.painjournal.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The analytics role's static group membership id, made once per {@code DATA_DIR} and kept in it
 * ({@link #FILE}). The same id after a restart (a crash included) makes the group see the same member come
 * back, so it keeps its partitions at once. Two live processes must never share one: the {@code DATA_DIR}
 * lock sees to that for one machine; a copied {@code DATA_DIR} must drop the file.
 */
final class KeptInstanceId {

    static final String FILE = "analytics-instance-id";

    private KeptInstanceId() {}

    static String in(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (id.matches("[A-Za-z0-9._-]{1,200}")) {
                    return id;
                }
                throw new IOException(file + " does not hold an instance id (letters, digits, '.', '_', '-'); "
                        + "delete it to make a new one");
            }
            String id = "analytics-" + UUID.randomUUID();
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
