package io.painjournal.app;

import io.painjournal.analytics.AnalyticsRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of earlier analytics versions (another application id): their changelog topics and local
 * state directories are deleted at start. They would otherwise keep users' rows (free text included) for
 * good, out of reach of erasure; the current version rebuilt its state from the journal.
 */
final class RetiredState {

    private static final Logger LOG = LoggerFactory.getLogger(RetiredState.class);
    private static final String PREFIX = "pain-journal-analytics-";

    private RetiredState() {}

    static void delete(Admin admin, Path stateDir, Duration timeout) throws Exception {
        String current = AnalyticsRole.APPLICATION_ID;
        List<String> topics = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                .filter(t -> isRetired(t, current))
                .sorted()
                .toList();
        if (!topics.isEmpty()) {
            admin.deleteTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("deleted the internal topics of earlier analytics versions: {}", topics);
        }
        if (Files.isDirectory(stateDir)) {
            try (Stream<Path> dirs = Files.list(stateDir)) {
                for (Path dir : dirs.filter(d -> isRetired(d.getFileName().toString(), current))
                        .toList()) {
                    deleteTree(dir);
                    LOG.info("deleted the local state of an earlier analytics version: {}", dir);
                }
            }
        }
    }

    /** A topic or directory of another application id than {@code current}. */
    static boolean isRetired(String name, String current) {
        return name.startsWith(PREFIX) && !name.equals(current) && !name.startsWith(current + "-");
    }

    /** Deletes a directory and everything in it (failing on the first file that cannot go). */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
