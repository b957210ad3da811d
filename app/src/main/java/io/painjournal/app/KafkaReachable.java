package io.painjournal.app;

import io.painjournal.web.ReadinessCheck;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Ready when the Kafka cluster answers a metadata request within a short timeout. */
final class KafkaReachable implements ReadinessCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final Admin admin;

    KafkaReachable(Vertx vertx, Admin admin) {
        this.vertx = vertx;
        this.admin = admin;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Future<Void> check() {
        Context context = vertx.getOrCreateContext();
        return Future.fromCompletionStage(
                        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                                .nodes()
                                .toCompletionStage(),
                        context)
                .transform(ar -> ar.succeeded() && !ar.result().isEmpty()
                        ? Future.succeededFuture()
                        : Future.failedFuture("Kafka is not reachable"
                                + (ar.failed() ? ": " + ar.cause().getMessage() : "")));
    }
}
