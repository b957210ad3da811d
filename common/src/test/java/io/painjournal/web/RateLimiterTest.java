package io.painjournal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void aBurstGoesThroughThenTheSustainedRateWithTheWaitInWholeSeconds() {
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limit(2, 5), now::get, 100);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.acquire("a"), "request " + i + " of the burst");
        }
        assertEquals(1, limiter.acquire("a"), "the sixth waits: half a second, rounded up to 1");
        advanceMillis(499);
        assertEquals(1, limiter.acquire("a"));
        advanceMillis(1);
        assertEquals(0, limiter.acquire("a"), "one request earned per half second");
        assertEquals(1, limiter.acquire("a"));
        advanceMillis(60_000);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.acquire("a"), "a long pause earns the burst back, not more");
        }
        assertEquals(1, limiter.acquire("a"));
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limit(1, 1), now::get, 100);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(1, limiter.acquire("a"));
        assertEquals(0, limiter.acquire("b"), "one busy key does not starve another");
    }

    @Test
    void aSlowRateAnswersHowManySecondsToWait() {
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limit(1, 1), now::get, 100);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(1, limiter.acquire("a"));
        advanceMillis(200);
        assertEquals(1, limiter.acquire("a"), "0.8 s left: 1");
    }

    @Test
    void memoryIsBoundedAndIdleKeysGoFirst() {
        RateLimiter limiter = new RateLimiter(new RateLimiter.Limit(1, 2), now::get, 10);
        for (int i = 0; i < 9; i++) {
            limiter.acquire("idle-" + i);
        }
        advanceMillis(1_900);
        limiter.acquire("busy");
        limiter.acquire("busy");
        advanceMillis(600); // the idle keys have earned their burst back (2 s): dropped; "busy" has not
        limiter.acquire("new");
        assertEquals(2, limiter.keys(), "only the keys that still matter are kept");
        assertEquals(1, limiter.acquire("busy"), "the busy key kept its bucket: 0.6 tokens, so it waits");
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("flood-" + i);
        }
        assertTrue(limiter.keys() <= 10, "a flood of new keys stays bounded: " + limiter.keys());
    }

    @Test
    void offLetsEverythingThroughAndLimitsAreChecked() {
        RateLimiter limiter = new RateLimiter(RateLimiter.Limit.OFF, now::get, 1);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, limiter.acquire("a" + i));
        }
        assertEquals(0, limiter.keys());
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limit(5, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter.Limit(-1, 5));
    }
}
