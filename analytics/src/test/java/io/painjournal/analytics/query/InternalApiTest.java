package io.painjournal.analytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.painjournal.analytics.stats.Stats;
import io.painjournal.query.NotReadyException;
import io.painjournal.web.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client of the calls between instances, against a fake peer on loopback. */
class InternalApiTest {

    private Vertx vertx;
    private HttpServer peer;
    private String peerUrl;
    private final Map<String, String> seenIds = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            seenIds.put(ctx.request().path(), String.valueOf(ctx.request().getHeader(RequestIds.HEADER)));
            ctx.next();
        });
        router.get(InternalApi.INSTANCES)
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put(
                                        "instances",
                                        new JsonArray().add("http://a:1").add("http://b:2"))
                                .encode()));
        router.get(InternalApi.AGGREGATES)
                .handler(ctx -> ctx.response()
                        .end(InternalApi.rowsBody(List.of(new AggregateReader.Row(
                                ctx.request().getParam("from") + "|"
                                        + ctx.request().getParam("limit"),
                                Stats.ofSession(7, 4, 10, 250L).withUsers(1))))));
        router.get(InternalApi.JOURNALS + ":userId")
                .handler(ctx -> ctx.response().setStatusCode(503).end());
        peer = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        peerUrl = "http://127.0.0.1:" + peer.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void rowsTravelAsTheyAreAndAnErrorStatusIsNotReady() throws Exception {
        InternalApi internal = new InternalApi(vertx, "token");
        assertEquals(
                List.of("http://a:1", "http://b:2"), internal.instances(peerUrl).await(10, TimeUnit.SECONDS));
        List<AggregateReader.Row> rows =
                internal.aggregates(peerUrl).page("T|", "T|~", null, 7).await(10, TimeUnit.SECONDS);
        assertEquals(
                List.of(new AggregateReader.Row(
                        "T||7", Stats.ofSession(7, 4, 10, 250L).withUsers(1))),
                rows);
        Throwable failure = internal.journal(peerUrl, "u-1", false)
                .toCompletionStage()
                .toCompletableFuture()
                .handle((ok, e) -> e)
                .get(10, TimeUnit.SECONDS);
        assertInstanceOf(NotReadyException.class, failure.getCause() == null ? failure : failure.getCause());
    }

    /** A call made while serving a request forwards that request's id, so the peer's log lines carry it too. */
    @Test
    void aCallMadeForARequestForwardsItsId() throws Exception {
        InternalApi internal = new InternalApi(vertx, "token");
        Router front = Router.router(vertx);
        front.route().handler(RequestIds.handler());
        front.get("/ask")
                .handler(ctx -> internal.instances(peerUrl)
                        .compose(urls -> internal.aggregates(peerUrl).page("T|", "T|~", null, 1))
                        .onComplete(ar -> ctx.response()
                                .end(ar.succeeded() ? "ok" : ar.cause().toString())));
        HttpServer server = vertx.createHttpServer()
                .requestHandler(front)
                .listen(0, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/ask"))
                                .header(RequestIds.HEADER, "trace-me-42")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals("ok", r.body());
        assertEquals("trace-me-42", seenIds.get(InternalApi.INSTANCES));
        assertEquals("trace-me-42", seenIds.get(InternalApi.AGGREGATES), "also after the first call's callback");
    }
}
