package io.painjournal.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/**
 * Rendered answers, kept for a short time per request URI. A dashboard that polls, or many users looking
 * at the population view at once, then costs one computation per URI and period instead of one per
 * request: the views, the JSON and the ETag are made once and the bytes are sent as they are.
 * <p>An answer is at most {@link #DEFAULT_TTL} old, less than the exactly-once commit interval that
 * already separates an accepted event from its effect, so the cache adds no staleness of a new kind.
 * Only answers to requests that passed the authorization checks are looked up or stored, so a cached
 * answer is never served to someone who could not have asked for it; failures are never cached.
 * A Caffeine cache: at most {@value #MAX_ANSWERS} answers (the least useful go first), each forgotten
 * {@link #DEFAULT_TTL} after it was made; its figures are exported as {@code cache_*{cache="answers"}}.
 */
final class AnswerCache {

    static final Duration DEFAULT_TTL = Duration.ofMillis(100);
    static final int MAX_ANSWERS = 10_000;

    /** A rendered answer: its bytes and its weak ETag (over everything but {@code asOf}). */
    record Answer(byte[] body, String etag) {

        static Answer of(JsonObject body) {
            JsonObject content = body.copy();
            content.remove("asOf");
            return new Answer(body.toBuffer().getBytes(), "W/\"" + sha256(content.encode()) + "\"");
        }

        Buffer bytes() {
            return Buffer.buffer(body);
        }

        /** The strong form of the tag, as some clients send it back. */
        String opaqueEtag() {
            return etag.substring(2);
        }
    }

    private final Cache<String, Answer> answers;
    private final boolean enabled;

    AnswerCache(Duration ttl, LongSupplier nanoTime) {
        this.enabled = !ttl.isZero();
        this.answers = Caffeine.newBuilder()
                .maximumSize(MAX_ANSWERS)
                .expireAfterWrite(ttl)
                .ticker(nanoTime::getAsLong)
                .executor(Runnable::run) // upkeep on the caller's thread: no pool of its own
                .recordStats()
                .build();
    }

    static AnswerCache standard(MeterRegistry registry) {
        AnswerCache cache = new AnswerCache(DEFAULT_TTL, System::nanoTime);
        CaffeineCacheMetrics.monitor(registry, cache.answers, "answers");
        return cache;
    }

    /** The answer for this URI if it is still fresh, else null. */
    Answer get(String uri) {
        return answers.getIfPresent(uri);
    }

    /** Renders and keeps the answer for this URI. */
    Answer put(String uri, JsonObject body) {
        Answer a = Answer.of(body);
        if (enabled) {
            answers.put(uri, a);
        }
        return a;
    }

    private static String sha256(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
