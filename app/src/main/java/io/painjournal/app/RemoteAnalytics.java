package io.painjournal.app;

import io.painjournal.analytics.query.AggregateReader;
import io.painjournal.analytics.query.AnalyticsQueries;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.MergedAggregateReader;
import io.painjournal.analytics.query.ViewQueries;
import io.painjournal.web.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * For an api-only process: the analytics answers come from the analytics instances behind
 * {@code ANALYTICS_URL}. Each query asks that address for the current instances and reads every
 * instance's partitions; a user's journal is asked of that address, which forwards to the owner.
 */
final class RemoteAnalytics {

    private final Vertx vertx;
    private final InternalApi internal;
    private final String baseUrl;

    RemoteAnalytics(Vertx vertx, InternalApi internal, String baseUrl) {
        this.vertx = vertx;
        this.internal = internal;
        this.baseUrl = baseUrl;
    }

    AnalyticsQueries queries() {
        return new ViewQueries(vertx, this::aggregates, userId -> internal.journal(baseUrl, userId, false),
                Clock.systemUTC());
    }

    private AggregateReader aggregates() {
        List<AggregateReader> readers = new ArrayList<>();
        for (String url : internal.instances(baseUrl)) {
            readers.add(internal.aggregates(url));
        }
        return new MergedAggregateReader(readers);
    }

    ReadinessCheck readiness() {
        return ReadinessCheck.of("analytics", () -> vertx
                .executeBlocking(() -> internal.instances(baseUrl), false)
                .transform(ar -> ar.succeeded() && !ar.result().isEmpty() ? Future.succeededFuture()
                        : Future.failedFuture("analytics at " + baseUrl + " is not answering"
                        + (ar.failed() ? ": " + ar.cause().getMessage() : ""))));
    }
}
