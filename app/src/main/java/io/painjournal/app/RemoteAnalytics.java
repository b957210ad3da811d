package io.painjournal.app;

import io.painjournal.analytics.query.AggregateReader;
import io.painjournal.analytics.query.AnalyticsQueries;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.MergedAggregateReader;
import io.painjournal.analytics.query.NotReadyException;
import io.painjournal.analytics.query.ViewQueries;
import io.painjournal.web.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * For an api-only process: the analytics answers come from the analytics instances behind
 * {@code ANALYTICS_URL}. Each query asks the first of those addresses that answers for the current
 * instances and reads every instance's partitions; a user's journal is asked of an address that
 * answers, which forwards to the owner. Listing several addresses keeps the api answering while one
 * analytics instance is down.
 */
final class RemoteAnalytics {

    private final Vertx vertx;
    private final InternalApi internal;
    private final List<String> baseUrls;

    RemoteAnalytics(Vertx vertx, InternalApi internal, List<String> baseUrls) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one analytics address is needed");
        }
        this.vertx = vertx;
        this.internal = internal;
        this.baseUrls = List.copyOf(baseUrls);
    }

    AnalyticsQueries queries() {
        return new ViewQueries(vertx, this::aggregates,
                userId -> firstAnswering(url -> internal.journal(url, userId, false)), Clock.systemUTC());
    }

    private AggregateReader aggregates() {
        List<AggregateReader> readers = new ArrayList<>();
        for (String url : firstAnswering(internal::instances)) {
            readers.add(internal.aggregates(url));
        }
        return new MergedAggregateReader(readers);
    }

    /** The answer of the first address that gives one; if none does, the last address's failure. */
    private <T> T firstAnswering(Function<String, T> call) {
        NotReadyException last = null;
        for (String url : baseUrls) {
            try {
                return call.apply(url);
            } catch (NotReadyException e) {
                last = e;
            }
        }
        throw last;
    }

    ReadinessCheck readiness() {
        return ReadinessCheck.of("analytics", () -> vertx
                .executeBlocking(() -> firstAnswering(internal::instances), false)
                .transform(ar -> ar.succeeded() && !ar.result().isEmpty() ? Future.succeededFuture()
                        : Future.failedFuture("analytics at " + String.join(", ", baseUrls) + " is not answering"
                        + (ar.failed() ? ": " + ar.cause().getMessage() : ""))));
    }
}
