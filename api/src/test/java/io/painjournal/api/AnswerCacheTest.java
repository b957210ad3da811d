package io.painjournal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answer cache: one computation per URI at a time, kept for its period, failures never kept. */
class AnswerCacheTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong now = new AtomicLong();
    private final AnswerCache cache = new AnswerCache(AnswerCache.DEFAULT_TTL, now::get);
    private final AtomicInteger renders = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Asks for the URI n times on an event loop while the first computation is still under way. */
    private List<Future<AnswerCache.Answer>> askWhileRendering(String uri, int n, Promise<JsonObject> gate)
            throws Exception {
        CompletableFuture<List<Future<AnswerCache.Answer>>> asked = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            List<Future<AnswerCache.Answer>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(cache.answer(uri, () -> {
                    renders.incrementAndGet();
                    return gate.future();
                }));
            }
            asked.complete(all);
        });
        return asked.get(10, TimeUnit.SECONDS);
    }

    @Test
    void requestsThatMissWhileAnAnswerIsBeingMadeWaitForThatOne() throws Exception {
        Promise<JsonObject> gate = Promise.promise();
        List<Future<AnswerCache.Answer>> waiting = askWhileRendering("/v1/techniques", 40, gate);
        assertEquals(1, renders.get(), "forty requests at once make one answer");
        assertTrue(waiting.stream().noneMatch(Future::isComplete), "nobody is answered before it is made");

        vertx.runOnContext(v -> gate.complete(new JsonObject().put("asOf", "t").put("techniques", "x")));
        AnswerCache.Answer first = waiting.get(0).await(10, TimeUnit.SECONDS);
        for (Future<AnswerCache.Answer> f : waiting) {
            assertSame(first, f.await(10, TimeUnit.SECONDS), "every one of them gets the same bytes");
        }

        // kept for its period, then made again
        assertSame(
                first,
                askWhileRendering("/v1/techniques", 1, Promise.promise()).get(0).await(10, TimeUnit.SECONDS));
        assertEquals(1, renders.get());
        now.addAndGet(AnswerCache.DEFAULT_TTL.toNanos());
        Promise<JsonObject> again = Promise.promise();
        Future<AnswerCache.Answer> fresh =
                askWhileRendering("/v1/techniques", 3, again).get(0);
        assertEquals(2, renders.get(), "an expired answer is made again, once");
        vertx.runOnContext(v -> again.complete(new JsonObject().put("asOf", "u").put("techniques", "x")));
        assertEquals(first.etag(), fresh.await(10, TimeUnit.SECONDS).etag(), "the same content, the same tag");
    }

    @Test
    void aFailureReachesEveryoneWhoWaitedAndIsNotKept() throws Exception {
        Promise<JsonObject> gate = Promise.promise();
        List<Future<AnswerCache.Answer>> waiting = askWhileRendering("/v1/users/ann/techniques", 5, gate);
        IllegalStateException cause = new IllegalStateException("restoring");
        vertx.runOnContext(v -> gate.fail(cause));
        for (Future<AnswerCache.Answer> f : waiting) {
            Throwable seen = f.map(a -> (Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
            assertSame(cause, seen, "the query's own failure, not a wrapper");
        }
        Promise<JsonObject> retry = Promise.promise();
        Future<AnswerCache.Answer> next =
                askWhileRendering("/v1/users/ann/techniques", 1, retry).get(0);
        assertEquals(2, renders.get(), "the next request computes again");
        vertx.runOnContext(v -> retry.complete(new JsonObject().put("techniques", "y")));
        assertTrue(next.await(10, TimeUnit.SECONDS).body().length > 0);
    }

    @Test
    void withoutAPeriodEveryRequestComputes() throws Exception {
        AnswerCache off = new AnswerCache(Duration.ZERO, now::get);
        for (int i = 0; i < 3; i++) {
            off.answer("/v1/techniques", () -> {
                        renders.incrementAndGet();
                        return Future.succeededFuture(new JsonObject());
                    })
                    .await(10, TimeUnit.SECONDS);
        }
        assertEquals(3, renders.get());
    }
}
