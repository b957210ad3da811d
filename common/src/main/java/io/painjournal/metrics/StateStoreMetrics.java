package io.painjournal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The size of a local state store, for operators: {@code painjournal_state_store_keys{store}} (estimated
 * number of keys) and {@code painjournal_state_store_disk_bytes{store}} (bytes of its directory). A
 * store that cannot be read right now (closed, rebalancing) reports NaN rather than failing the scrape.
 */
public final class StateStoreMetrics {

    public static final String KEYS = "painjournal.state.store.keys";
    public static final String DISK_BYTES = "painjournal.state.store.disk.bytes";

    private StateStoreMetrics() {}

    public static void register(MeterRegistry registry, String store, LongSupplier estimatedKeys) {
        Gauge.builder(KEYS, () -> orNaN(estimatedKeys))
                .tag("store", store)
                .description("Estimated number of keys in a local state store")
                .register(registry);
    }

    public static void registerDirectory(MeterRegistry registry, String store, Path directory) {
        Gauge.builder(DISK_BYTES, () -> orNaN(() -> bytesUnder(directory)))
                .tag("store", store)
                .baseUnit("bytes")
                .description("Bytes on disk of a local state store")
                .register(registry);
    }

    private static double orNaN(LongSupplier value) {
        try {
            return value.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Sum of the sizes of the regular files under {@code directory}; files vanishing meanwhile count 0. */
    public static long bytesUnder(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.mapToLong(StateStoreMetrics::sizeOf).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return 0; // RocksDB compacted files away mid-walk; the next scrape is exact
            }
            throw e;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
