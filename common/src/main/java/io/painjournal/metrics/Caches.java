package io.painjournal.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;

/**
 * The caches of the process: Caffeine, bounded in size and in age, with their hit, miss, eviction and
 * size figures exported as {@code cache_*} meters tagged {@code cache=<name>}.
 */
public final class Caches {

    private Caches() {}

    /** At most {@code maximumSize} entries, each forgotten {@code ttl} after it was written. */
    public static <K, V> Cache<K, V> expiringAfterWrite(
            String name, long maximumSize, Duration ttl, MeterRegistry registry) {
        Cache<K, V> cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(ttl)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, cache, name);
        return cache;
    }
}
