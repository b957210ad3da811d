package io.painjournal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private Vertx vertx;
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    /** A route that answers the id as its handler, a worker thread and a later event-loop callback see it. */
    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(RequestIds.handler());
        router.get("/where").handler(ctx -> {
            String onLoop = RequestIds.current();
            vertx.executeBlocking(() ->
                            RequestIds.current() + "@" + Thread.currentThread().getName())
                    .onSuccess(onWorker -> vertx.setTimer(
                            5, t -> ctx.response().end(onLoop + " " + onWorker + " " + RequestIds.current())));
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String requestId) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/where"));
        if (requestId != null) {
            b.header(RequestIds.HEADER, requestId);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSaneIdIsEchoedAndFollowsTheRequestToWorkerThreadsAndCallbacks() throws Exception {
        String id = "Abc-123_x.y";
        HttpResponse<String> r = get(id);
        assertEquals(id, r.headers().firstValue(RequestIds.HEADER).orElse(null));
        String[] seen = r.body().split(" ");
        assertEquals(id, seen[0], "in the handler");
        assertEquals(id, seen[1].substring(0, seen[1].indexOf('@')), "on the worker thread");
        assertTrue(seen[1].contains("worker"), seen[1]);
        assertEquals(id, seen[2], "in a timer callback of the request");
        assertEquals(
                "x".repeat(64),
                get("x".repeat(64)).headers().firstValue(RequestIds.HEADER).orElseThrow());
    }

    @Test
    void anInsaneOrMissingIdIsReplacedByANewOne() throws Exception {
        for (String bad : new String[] {null, "", "has space", "x".repeat(65), "semi;colon", "ünicode"}) {
            HttpResponse<String> r = get(bad);
            String id = r.headers().firstValue(RequestIds.HEADER).orElseThrow();
            assertTrue(id.matches("[0-9a-f]{32}"), bad + " -> " + id);
            assertNotEquals(bad, id);
            assertEquals(id, r.body().split(" ")[0]);
        }
        assertNotEquals(
                get(null).headers().firstValue(RequestIds.HEADER),
                get(null).headers().firstValue(RequestIds.HEADER),
                "each request its own");
    }

    @Test
    void outsideARequestThereIsNone() {
        assertNull(RequestIds.current());
    }
}
