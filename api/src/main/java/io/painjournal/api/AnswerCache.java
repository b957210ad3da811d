package io.painjournal.api;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Rendered answers, kept for a short time per request URI. A dashboard that polls, or many users looking
 * at the population view at once, then costs one computation per URI and period instead of one per
 * request: the views, the JSON and the ETag are made once and the bytes are sent as they are.
 * <p>An answer is at most {@link #DEFAULT_TTL} old, less than the exactly-once commit interval that
 * already separates an accepted event from its effect, so the cache adds no staleness of a new kind.
 * Only answers to requests that passed the authorization checks are looked up or stored, so a cached
 * answer is never served to someone who could not have asked for it; failures are never cached.
 * <p>One computation per URI at a time: the requests that miss while an answer is being made wait for
 * that one instead of each making their own (at 20,000 reads/s about forty requests arrive in the few
 * milliseconds a render takes; each computing it cost CPU, and their queue on the worker pool was the
 * p99 of every read). A failed computation is not kept: every request that waited for it gets the
 * failure, the next one computes again.
 * <p>A Caffeine {@link AsyncCache} of the answers' futures: at most {@value #MAX_ANSWERS} answers (the
 * least useful go first), each forgotten {@link #DEFAULT_TTL} after it was made (an answer still being
 * made is never forgotten); its figures are exported as {@code cache_*{cache="answers"}}.
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

    private final AsyncCache<String, Answer> answers;
    private final boolean enabled;

    AnswerCache(Duration ttl, LongSupplier nanoTime) {
        this.enabled = !ttl.isZero();
        this.answers = Caffeine.newBuilder()
                .maximumSize(MAX_ANSWERS)
                .expireAfterWrite(ttl)
                .ticker(nanoTime::getAsLong)
                .executor(Runnable::run) // upkeep on the caller's thread: no pool of its own
                .recordStats()
                .buildAsync();
    }

    static AnswerCache standard(MeterRegistry registry) {
        AnswerCache cache = new AnswerCache(DEFAULT_TTL, System::nanoTime);
        CaffeineCacheMetrics.monitor(registry, cache.answers, "answers");
        return cache;
    }

    /**
     * The answer for this URI: the kept one while it is fresh, else the one being made, else a new one
     * from {@code render} (called at most once per URI at a time). Completes on the caller's context.
     */
    Future<Answer> answer(String uri, Supplier<Future<JsonObject>> render) {
        if (!enabled) {
            return render.get().map(Answer::of);
        }
        CompletableFuture<Answer> made = answers.get(
                uri,
                (key, executor) ->
                        render.get().map(Answer::of).toCompletionStage().toCompletableFuture());
        if (made.isDone() && !made.isCompletedExceptionally()) {
            return Future.succeededFuture(made.join()); // the common case: no hop, no allocation of a stage
        }
        Context context = Vertx.currentContext();
        // the stage fails with the query's own exception (Vert.x completes it so), so nothing to unwrap
        return context == null ? Future.fromCompletionStage(made) : Future.fromCompletionStage(made, context);
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
