package io.painjournal.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a paged answer with one page in memory: writes a page, waits for the client to drain when the
 * write queue is full, fetches the next. The first page decides the status; a later page that fails
 * breaks the transfer off.
 *
 * @param <P>    the page, which names the cursor of the next one (null: the last page)
 * @param name   what is streamed, for the log line when it breaks off
 * @param fetch  the page after a cursor (null: the first page)
 * @param render a page's text
 * @param next   a page's cursor of the next page, null on the last
 * @param tail   the text after the last page
 */
record PagedStream<P>(
        String name,
        Function<String, Future<P>> fetch,
        Function<P, String> render,
        Function<P, String> next,
        String tail) {

    private static final Logger LOG = LoggerFactory.getLogger(PagedStream.class);

    /**
     * Fetches the first page: a failure is answered as {@link Answers#failed}, before anything is written; else
     * {@code head} starts the response (status, headers, chunked, any opening text) and every page follows.
     */
    void start(RoutingContext ctx, Runnable head) {
        fetch.apply(null).onComplete(first -> {
            if (first.failed()) {
                Answers.failed(ctx, first.cause());
                return;
            }
            head.run();
            write(ctx.response(), first.result());
        });
    }

    private void write(HttpServerResponse response, P page) {
        String chunk = render.apply(page);
        if (!chunk.isEmpty()) {
            response.write(chunk);
        }
        String after = next.apply(page);
        if (after == null) {
            response.end(tail);
            return;
        }
        Runnable fetchNext = () -> fetch.apply(after).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("{} broken off: {}", name, ar.cause().getMessage());
                response.reset(); // the client sees a broken transfer, not a silently short file
                return;
            }
            write(response, ar.result());
        });
        if (response.writeQueueFull()) {
            response.drainHandler(v -> fetchNext.run());
        } else {
            fetchNext.run();
        }
    }
}
