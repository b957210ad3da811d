package io.painjournal.web;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a caller, an address): each key may make {@code burst} requests at once and
 * {@code perSecond} a second after that. Safe for every event loop at once; memory is bounded by
 * {@code maxKeys}: when more keys are live, buckets that are full again (their key idle long enough to
 * have earned a whole burst back) are dropped first, which forgets nothing that matters.
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
    private final LongSupplier nanoClock;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Limit limit, LongSupplier nanoClock, int maxKeys) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        this.maxKeys = maxKeys;
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
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                evict(now);
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now));
        }
        long waitNanos = bucket.take(now, limit);
        return waitNanos == 0 ? 0 : Math.max(1, (waitNanos + NANOS - 1) / NANOS);
    }

    int keys() {
        return buckets.size();
    }

    private void evict(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().fullAt(now, limit)) {
                it.remove();
            }
        }
        // Still full of busy keys (a flood from many addresses): forget some of them; each starts again
        // with a full bucket, which errs towards letting requests through, never towards refusing them.
        Iterator<String> keys = buckets.keySet().iterator();
        while (buckets.size() >= maxKeys && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }

    private static final class Bucket {
        /** Tokens in nano-units (1 request = 1e9), so refills need no floating point. */
        private long tokens;
        private long updated;

        Bucket(int burst, long now) {
            this.tokens = burst * NANOS;
            this.updated = now;
        }

        synchronized long take(long now, Limit limit) {
            refill(now, limit);
            if (tokens >= NANOS) {
                tokens -= NANOS;
                return 0;
            }
            return (NANOS - tokens + limit.perSecond() - 1) / limit.perSecond();
        }

        synchronized boolean fullAt(long now, Limit limit) {
            refill(now, limit);
            return tokens >= limit.burst() * NANOS;
        }

        private void refill(long now, Limit limit) {
            long elapsed = Math.max(0, now - updated);
            updated = now;
            long cap = limit.burst() * NANOS;
            // elapsed * perSecond may overflow after long idleness: cap the elapsed time first.
            long earned = Math.min(elapsed, cap / limit.perSecond() + 1) * limit.perSecond();
            tokens = Math.min(cap, tokens + earned);
        }
    }
}
