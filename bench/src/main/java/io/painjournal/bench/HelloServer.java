package io.painjournal.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The raw HTTP limit: a Vert.x hello-world on the same event-loop count as the product's HTTP verticles,
 * started with the same JVM settings by bench/run. Usage: {@code HelloServer <port> <instances>}.
 */
public final class HelloServer extends VerticleBase {

    private static final Buffer BODY = Buffer.buffer("{\"hello\":\"world\"}");
    private final int port;

    private HelloServer(int port) {
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(req -> req.response()
                        .putHeader("Content-Type", "application/json")
                        .end(BODY))
                .listen();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int instances = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new HelloServer(port), new DeploymentOptions().setInstances(instances))
                .await(30, TimeUnit.SECONDS);
        System.out.println("hello server on " + port);
    }
}
