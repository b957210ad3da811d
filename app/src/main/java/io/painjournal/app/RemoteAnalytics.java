package io.painjournal.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.analytics.query.AggregateReader;
import io.painjournal.analytics.query.InternalApi;
import io.painjournal.analytics.query.MergedAggregateReader;
import io.painjournal.analytics.query.ViewQueries;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.web.ReadinessCheck;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * For an api-only process: the analytics answers come from the analytics instances behind
 * {@code ANALYTICS_URL}. Each query asks the first of those addresses that answers for the current
 * instances and reads every instance's partitions, all instances at once; a user's journal is asked of
 * an address that answers, which forwards to the owner. Listing several addresses keeps the api
 * answering while one analytics instance is down. Nothing blocks: every call is a future.
 */
final class RemoteAnalytics {

    private final InternalApi internal;
    private final List<String> baseUrls;

    RemoteAnalytics(InternalApi internal, List<String> baseUrls) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one analytics address is needed");
        }
        this.internal = internal;
        this.baseUrls = List.copyOf(baseUrls);
    }

    AnalyticsQueries queries(String reportingCurrency, int minUsers, MeterRegistry registry) {
        return new ViewQueries(
                this::aggregates,
                userId -> firstAnswering(url -> internal.journal(url, userId, false)),
                arm -> firstAnswering(internal::instances)
                        .compose(urls -> InternalApi.sum(
                                urls.stream().map(url -> internal.arm(url, arm)).toList())),
                q -> firstAnswering(internal::instances)
                        .compose(urls -> InternalApi.merge(urls.stream()
                                .map(url -> internal.bounded(url, q))
                                .toList())),
                (userId, after, limit) -> firstAnswering(url -> internal.export(url, userId, after, limit, false)),
                pair -> firstAnswering(internal::instances)
                        .compose(urls -> InternalApi.together(urls.stream()
                                .map(url -> internal.trialPairs(url, pair))
                                .toList())),
                Clock.systemUTC(),
                reportingCurrency,
                minUsers,
                registry);
    }

    private Future<AggregateReader> aggregates() {
        return firstAnswering(internal::instances)
                .map(urls -> new MergedAggregateReader(
                        urls.stream().map(internal::aggregates).toList()));
    }

    /** The answer of the first address that gives one; if none does, the last address's failure. */
    private <T> Future<T> firstAnswering(Function<String, Future<T>> call) {
        return firstAnswering(call, 0);
    }

    private <T> Future<T> firstAnswering(Function<String, Future<T>> call, int index) {
        Future<T> answer = call.apply(baseUrls.get(index));
        return index == baseUrls.size() - 1 ? answer : answer.recover(e -> firstAnswering(call, index + 1));
    }

    ReadinessCheck readiness() {
        return ReadinessCheck.of(
                "analytics",
                () -> firstAnswering(internal::instances)
                        .transform(ar -> ar.succeeded() && !ar.result().isEmpty()
                                ? Future.succeededFuture()
                                : Future.failedFuture("analytics at " + String.join(", ", baseUrls)
                                        + " is not answering"
                                        + (ar.failed() ? ": " + ar.cause().getMessage() : ""))));
    }
}
