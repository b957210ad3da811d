package io.painjournal.api;

import io.painjournal.auth.Caller;
import io.painjournal.auth.Role;
import io.painjournal.query.AnalyticsQueries;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /v1/stream}: Server-Sent Events telling a dashboard when what it shows has changed, so it
 * refetches instead of polling. Each connection looks at the answers its caller may see — the population
 * and, for a user (or an admin, as themselves), their own techniques and journal — every
 * {@link #PERIOD_MS} ms and sends {@code event: changed} when their content (not their {@code asOf})
 * differs from the last look ({@code event: ready} once the first look is taken). With the 100 ms exactly-once commit, a new event reaches the page within
 * about half a second. A comment line every {@link #HEARTBEAT_MS} ms keeps proxies and the idle timeout
 * from closing a quiet stream.
 */
final class ChangeStream {

    static final long PERIOD_MS = 300;
    static final long HEARTBEAT_MS = 15_000;

    private final AnalyticsQueries queries;

    ChangeStream(AnalyticsQueries queries) {
        this.queries = queries;
    }

    void open(RoutingContext ctx, Caller caller) {
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                // Not compressed (a compressor may hold events back) and not buffered by proxies.
                .putHeader("Content-Encoding", "identity")
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n\n");
        String own = caller.has(Role.USER) || caller.has(Role.ADMIN) ? caller.subject() : null;
        String[] last = {null};
        long[] quietSince = {System.nanoTime()};
        long timer = ctx.vertx()
                .setPeriodic(
                        0,
                        PERIOD_MS,
                        id -> fingerprint(own).onSuccess(now -> {
                            if (response.closed() || response.ended()) {
                                return;
                            }
                            if (last[0] == null) {
                                send(
                                        response,
                                        "ready",
                                        new JsonObject()); // the first look is taken: changes count from here
                            } else if (!last[0].equals(now)) {
                                send(
                                        response,
                                        "changed",
                                        new JsonObject()
                                                .put(
                                                        "asOf",
                                                        Instant.now()
                                                                .truncatedTo(ChronoUnit.MILLIS)
                                                                .toString()));
                                quietSince[0] = System.nanoTime();
                            } else if (System.nanoTime() - quietSince[0] > HEARTBEAT_MS * 1_000_000) {
                                response.write(": still here\n\n");
                                quietSince[0] = System.nanoTime();
                            }
                            last[0] = now;
                        })); // a failed look (state moving) is simply tried again at the next tick
        response.closeHandler(v -> ctx.vertx().cancelTimer(timer));
        ctx.request().connection().closeHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    /** What the caller sees, rendered without {@code asOf}: equal strings mean nothing changed. */
    private Future<String> fingerprint(String user) {
        Future<String> population = queries.population().map(v -> ResultJson.content(v));
        if (user == null) {
            return population;
        }
        return Future.all(
                        population,
                        queries.personal(user).map(v -> ResultJson.content(v)),
                        queries.journal(user, null, null).map(v -> ResultJson.content(v)))
                .map(all -> all.<String>resultAt(0) + all.resultAt(1) + all.resultAt(2));
    }

    private static void send(HttpServerResponse response, String event, JsonObject data) {
        response.write(Buffer.buffer("event: " + event + "\ndata: " + data.encode() + "\n\n"));
    }
}
