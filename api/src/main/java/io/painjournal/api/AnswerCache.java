package io.painjournal.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Rendered answers, kept for a short time per request URI. A dashboard that polls, or many users looking
 * at the population view at once, then costs one computation per URI and period instead of one per
 * request: the views, the JSON and the ETag are made once and the bytes are sent as they are.
 * <p>An answer is at most {@link #DEFAULT_TTL} old, less than the exactly-once commit interval that
 * already separates an accepted event from its effect, so the cache adds no staleness of a new kind.
 * Only answers to requests that passed the authorization checks are looked up or stored, so a cached
 * answer is never served to someone who could not have asked for it; failures are never cached.
 * Bounded: at {@value #MAX_ANSWERS} answers the expired ones are dropped, and all of them if none were.
 */
final class AnswerCache {

    static final Duration DEFAULT_TTL = Duration.ofMillis(100);
    static final int MAX_ANSWERS = 10_000;

    /** A rendered answer: its bytes and its weak ETag (over everything but {@code asOf}). */
    record Answer(byte[] body, String etag, long renderedAtNanos) {

        static Answer of(JsonObject body, long now) {
            JsonObject content = body.copy();
            content.remove("asOf");
            return new Answer(body.toBuffer().getBytes(), "W/\"" + sha256(content.encode()) + "\"", now);
        }

        Buffer bytes() {
            return Buffer.buffer(body);
        }

        /** The strong form of the tag, as some clients send it back. */
        String opaqueEtag() {
            return etag.substring(2);
        }
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    AnswerCache(Duration ttl, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    static AnswerCache standard() {
        return new AnswerCache(DEFAULT_TTL, System::nanoTime);
    }

    /** The answer for this URI if it is still fresh, else null. */
    Answer get(String uri) {
        Answer a = answers.get(uri);
        return a != null && nanoTime.getAsLong() - a.renderedAtNanos() < ttlNanos ? a : null;
    }

    /** Renders and keeps the answer for this URI. */
    Answer put(String uri, JsonObject body) {
        long now = nanoTime.getAsLong();
        Answer a = Answer.of(body, now);
        if (ttlNanos > 0) {
            if (answers.size() >= MAX_ANSWERS) {
                answers.values().removeIf(old -> now - old.renderedAtNanos() >= ttlNanos);
                if (answers.size() >= MAX_ANSWERS) {
                    answers.clear();
                }
            }
            answers.put(uri, a);
        }
        return a;
    }

    int size() {
        return answers.size();
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
