package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.UserJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.LocalDate;
import io.painjournal.analytics.stats.Stats;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * {@link AnalyticsQueries} computed by {@link Views} over wherever the state lives: the two functions
 * say how to read the aggregates and a user's journal (local stores, other instances, or both). Reads
 * block, so they run on worker threads; a store that is moving answers {@link NotReadyException}.
 */
public final class ViewQueries implements AnalyticsQueries {

    private final Vertx vertx;
    private final Supplier<AggregateReader> aggregates;
    private final Function<String, UserJournal> journals;
    private final Clock clock;
    static final java.time.Duration PRIOR_TTL = java.time.Duration.ofMillis(100);
    private volatile Prior prior;

    public ViewQueries(Vertx vertx, Supplier<AggregateReader> aggregates, Function<String, UserJournal> journals,
                       Clock clock) {
        this.vertx = vertx;
        this.aggregates = aggregates;
        this.journals = journals;
        this.clock = clock;
    }

    @Override
    public Future<Results.PopulationView> population() {
        return read(() -> views().population());
    }

    @Override
    public Future<Results.TrendView> trend(String technique, LocalDate from, LocalDate to) {
        return read(() -> views().trend(technique, from, to));
    }

    @Override
    public Future<Results.PersonalView> personal(String userId) {
        return read(() -> {
            Views views = views();
            return views.personal(userId, journals.apply(userId), populationStats(views));
        });
    }

    @Override
    public Future<Results.PersonalTrendView> personalTrend(String userId, String technique, LocalDate from,
                                                           LocalDate to) {
        return read(() -> views().personalTrend(userId, journals.apply(userId), technique, from, to));
    }

    @Override
    public Future<Results.JournalView> journal(String userId, LocalDate from, LocalDate to) {
        return read(() -> views().journal(userId, journals.apply(userId), from, to));
    }

    @Override
    public Future<Results.ResearchPage> research(ResearchFilter filter, String after, int limit) {
        return read(() -> views().research(filter, after, limit));
    }

    /**
     * The population's per-technique statistics, remembered for {@link #PRIOR_TTL}: every personal answer
     * needs them as its prior, and reading them means a range scan of every partition. A prior a tenth of
     * a second old changes no estimate noticeably; the population answer itself is always read afresh.
     */
    private Map<String, Stats> populationStats(Views views) {
        Prior p = prior;
        long now = System.nanoTime();
        if (p != null && now - p.readAtNanos() < PRIOR_TTL.toNanos()) {
            return p.stats();
        }
        Map<String, Stats> stats = views.populationStats();
        prior = new Prior(now, stats);
        return stats;
    }

    private record Prior(long readAtNanos, Map<String, Stats> stats) {
    }

    private Views views() {
        return new Views(aggregates.get(), clock);
    }

    private <T> Future<T> read(Callable<T> query) {
        return vertx.executeBlocking(() -> {
            try {
                return query.call();
            } catch (InvalidStateStoreException e) {
                throw new NotReadyException("analytics state is moving: " + e.getMessage(), e);
            }
        }, false);
    }
}
