package io.painjournal.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a caller, an address), Bucket4j's: each key may make {@code burst} requests at
 * once and {@code perSecond} a second after that. Safe for every event loop at once. The buckets live in a
 * Caffeine cache bounded by {@code maxKeys}: a bucket idle long enough to have earned a whole burst back
 * is dropped (a new one would be the same), and a flood of new keys evicts some others, which errs
 * towards letting requests through, never towards refusing them.
 */
public final class RateLimiter {

    /** A limit: {@code perSecond} sustained, {@code burst} at once. {@link #OFF} lets everything through. */
    public record Limit(int perSecond, int burst) {
        public static final Limit OFF = new Limit(0, 0);

        public Limit {
            if (perSecond < 0 || burst < 0 || (perSecond == 0) != (burst == 0)) {
                throw new IllegalArgumentException("a limit is off (0/0) or has a positive rate and burst");
            }
        }

        public boolean off() {
            return perSecond == 0;
        }

        @Override
        public String toString() {
            return off() ? "off" : perSecond + "/s, burst " + burst;
        }
    }

    private static final long NANOS = 1_000_000_000L;

    private final Limit limit;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(Limit limit, LongSupplier nanoClock, int maxKeys) {
        this.limit = limit;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        long refillNanos = limit.off() ? 0 : (limit.burst() * NANOS + limit.perSecond() - 1) / limit.perSecond();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(Duration.ofNanos(refillNanos))
                .ticker(nanoClock::getAsLong)
                .executor(Runnable::run) // upkeep on the caller's thread: no pool of its own
                .build();
    }

    public RateLimiter(Limit limit) {
        this(limit, System::nanoTime, 100_000);
    }

    public Limit limit() {
        return limit;
    }

    /**
     * Takes one request from {@code key}'s bucket: 0 when it may go on, else how many whole seconds
     * (at least 1) until it may try again.
     */
    public long acquire(String key) {
        if (limit.off()) {
            return 0;
        }
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + NANOS - 1) / NANOS);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
    }

    /** How many keys have a bucket now (at most {@code maxKeys}). */
    public long keys() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
