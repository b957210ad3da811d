package io.painjournal.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One process per {@code DATA_DIR}: two would write one broker log, ledger and state store and break them.
 * An OS file lock on {@code DATA_DIR/.lock}, held for the life of the process; the OS releases it when the
 * process ends in any way (kill -9 included), so a crash never leaves the directory locked.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails at once with a clear message when another process (or instance) holds it. */
    static DataDirLock acquire(Path dataDir) throws IOException {
        FileChannel channel =
                FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new ConfigException(List.of("DATA_DIR=" + dataDir + " is in use by another pain-journal process "
                    + "(it holds " + FILE + "); give every process its own DATA_DIR"));
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
