package io.painjournal.api;

import io.painjournal.api.privacy.PrivacyBudget;
import io.painjournal.query.NotReadyException;
import io.painjournal.web.Problem;
import io.painjournal.web.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * How the api role answers: JSON answers through the {@link AnswerCache}, each with {@code asOf} and an ETag
 * over everything but {@code asOf}, so an unchanged answer is a 304; a failed query as its problem.
 */
final class Answers {

    private final AnswerCache cache;

    Answers(AnswerCache cache) {
        this.cache = cache;
    }

    /**
     * Answers from the {@link AnswerCache} when it holds a fresh answer for this URI, else asks and keeps
     * the rendered answer. Callers have already checked that the caller may see it.
     */
    void answer(RoutingContext ctx, Supplier<Future<?>> query) {
        cache.answer(ctx.request().uri(), () -> query.get().map(ResultJson::of)).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
            } else {
                send(ctx, ar.result());
            }
        });
    }

    /**
     * 200 with an ETag over the content, or 304 when the client has it already. The tag is weak
     * (RFC 9110): answers with the same content may differ in their asOf.
     */
    static void send(RoutingContext ctx, AnswerCache.Answer answer) {
        String ifNoneMatch = ctx.request().getHeader("If-None-Match");
        ctx.response().putHeader("ETag", answer.etag()).putHeader("Cache-Control", "private, no-cache");
        if (ifNoneMatch != null
                && Arrays.stream(ifNoneMatch.split(","))
                        .map(String::trim)
                        .anyMatch(t -> t.equals(answer.etag()) || t.equals(answer.opaqueEtag()) || t.equals("*"))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", Responses.JSON)
                .end(answer.bytes());
    }

    /** A failed query as its answer: 503 while the state moves, 429 for a spent budget, 404 for no such trial. */
    static void failed(RoutingContext ctx, Throwable cause) {
        if (cause instanceof NotReadyException) {
            Responses.unavailable(ctx, 1, "The analytics state is being restored or rebalanced; retry shortly.");
        } else if (cause instanceof PrivacyBudget.Exhausted e) {
            new Problem(
                            "urn:pain-journal:problem:privacy-budget-spent",
                            "Privacy budget spent",
                            429,
                            "This request needs more epsilon than the " + e.left()
                                    + " left of your budget for the last 30 days; nothing was spent.",
                            List.of())
                    .send(ctx);
        } else if (cause instanceof NoSuchElementException) {
            Problem.of(404, "Not Found", "No such trial of this user.").send(ctx);
        } else {
            ctx.fail(cause);
        }
    }
}
