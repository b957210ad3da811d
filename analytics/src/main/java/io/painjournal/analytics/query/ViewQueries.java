package io.painjournal.analytics.query;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import io.painjournal.analytics.cohorts.ArmReader.Arm;
import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.cohorts.CohortStats;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.privacy.BoundedResearch;
import io.painjournal.analytics.privacy.LaplaceNoise;
import io.painjournal.analytics.privacy.PrivateAnswers;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.analytics.trials.TrialAnalysis;
import io.painjournal.metrics.Caches;
import io.painjournal.query.AnalyticsQueries;
import io.painjournal.query.CohortQuery;
import io.painjournal.query.NotReadyException;
import io.painjournal.query.PrivateRelease;
import io.painjournal.query.ResearchFilter;
import io.painjournal.query.Results;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link AnalyticsQueries} computed by {@link Views} over wherever the state lives: the two functions
 * say how to read the aggregates and a user's journal (local stores, other instances, or both), and
 * answer futures; a store that is moving fails them with {@link NotReadyException}.
 */
public final class ViewQueries implements AnalyticsQueries {

    /**
     * How long the population's per-technique statistics are remembered as the prior of the personal
     * estimates: reading them means a range scan of every partition, and a prior a tenth of a second
     * old changes no estimate noticeably. The population answer itself is always read afresh.
     */
    static final Duration PRIOR_TTL = Duration.ofMillis(100);

    private final Supplier<Future<AggregateReader>> aggregates;
    private final Function<String, Future<UserJournal>> journals;
    private final Function<Arm, Future<ArmSums>> arms;
    private final Function<BoundedResearch.Query, Future<Map<String, double[]>>> bounded;
    private final ExportReader exports;

    /** Reads a page of one user's export wherever their partition is. */
    @FunctionalInterface
    public interface ExportReader {
        Future<Results.ExportPage> page(String userId, String after, int limit);
    }

    private final LaplaceNoise noise = new LaplaceNoise();
    private final Clock clock;
    private final String reportingCurrency;
    private final Cache<String, Map<String, Stats>> prior;
    private final Function<List<String>, Future<io.painjournal.analytics.trials.PairTrials>> trialPairs;
    /** For the answers that read one journal and no aggregates. */
    private final Views journalViews;
    /** k of the small-groups rule: whose population means may pool into a user's answers. */
    private final int minUsers;

    public ViewQueries(
            Supplier<Future<AggregateReader>> aggregates,
            Function<String, Future<UserJournal>> journals,
            Function<Arm, Future<ArmSums>> arms,
            Function<BoundedResearch.Query, Future<Map<String, double[]>>> bounded,
            ExportReader exports,
            Function<List<String>, Future<io.painjournal.analytics.trials.PairTrials>> trialPairs,
            Clock clock,
            String reportingCurrency,
            int minUsers,
            MeterRegistry registry) {
        this.minUsers = minUsers;
        this.aggregates = aggregates;
        this.journals = journals;
        this.arms = arms;
        this.bounded = bounded;
        this.exports = exports;
        this.trialPairs = trialPairs;
        this.clock = clock;
        this.reportingCurrency = reportingCurrency;
        this.prior = Caches.expiringAfterWrite("population-prior", 1, PRIOR_TTL, registry);
        this.journalViews = new Views(
                (from, to, after, limit) ->
                        Future.failedFuture(new IllegalStateException("a journal answer reads no aggregates")),
                clock);
    }

    @Override
    public Future<Results.TrialSummary> trialSummary(String first, String second) {
        List<String> pair = List.of(first, second);
        return trialPairs.apply(pair).map(trials -> {
            var pooled = io.painjournal.analytics.trials.TrialPopulation.pooled(
                    io.painjournal.analytics.trials.TrialPopulation.studies(
                            trials.byUser(), first, LocalDate.now(clock), null),
                    minUsers);
            if (pooled == null) {
                return Results.TrialSummary.suppressed(pair);
            }
            double[] ci = pooled.ci95();
            double[] prediction = pooled.predictionInterval95();
            return new Results.TrialSummary(
                    pair,
                    false,
                    pooled.studies(),
                    pooled.mean(),
                    new Results.Interval(ci[0], ci[1]),
                    pooled.betweenSd(),
                    new Results.Interval(prediction[0], prediction[1]),
                    pooled.shareFirstBetterByOne(),
                    pooled.shareSecondBetterByOne(),
                    pooled.heterogeneityQ());
        });
    }

    @Override
    public Future<Results.PopulationView> population() {
        return views().compose(Views::population);
    }

    @Override
    public Future<Results.TrendView> trend(String technique, LocalDate from, LocalDate to) {
        return views().compose(v -> v.trend(technique, from, to));
    }

    @Override
    public Future<Results.PersonalView> personal(String userId) {
        return views().compose(views -> Future.all(populationStats(views), journals.apply(userId))
                .map(both -> views.personal(userId, both.resultAt(1), both.resultAt(0))));
    }

    @Override
    public Future<Results.PersonalTrendView> personalTrend(
            String userId, String technique, LocalDate from, LocalDate to) {
        return journals.apply(userId).map(journal -> journalViews.personalTrend(userId, journal, technique, from, to));
    }

    @Override
    public Future<Results.JournalView> journal(String userId, LocalDate from, LocalDate to) {
        return journals.apply(userId).map(journal -> journalViews.journal(userId, journal, from, to));
    }

    @Override
    public Future<Results.TrialList> trials(String userId) {
        return trialViews(userId, null).map(views -> new Results.TrialList(journalViews.asOf(), userId, views));
    }

    @Override
    public Future<Results.TrialView> trial(String userId, String trialId) {
        return trialViews(userId, trialId)
                .map(views -> views.stream()
                        .findFirst()
                        .orElseThrow(() -> new java.util.NoSuchElementException("no such trial")));
    }

    /**
     * The user's trials (only {@code trialId}'s unless it is null), newest startDate first, with the population
     * means of their techniques.
     */
    private Future<List<Results.TrialView>> trialViews(String userId, String trialId) {
        return views().compose(views -> Future.all(populationStats(views), journals.apply(userId))
                .map(both -> {
                    Map<String, Stats> population = both.resultAt(0);
                    UserJournal journal = both.resultAt(1);
                    if (journal == null) {
                        return List.<Results.TrialView>of();
                    }
                    java.time.LocalDate today =
                            java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
                    List<Results.TrialView> trials = new java.util.ArrayList<>();
                    for (TrialFact fact : journal.trials()) {
                        if (trialId != null && !fact.trial().trialId().equals(trialId)) {
                            continue;
                        }
                        List<String> techniques = fact.trial().techniques();
                        trials.add(TrialAnalysis.view(
                                fact,
                                journal.sessions(),
                                journal.entries(),
                                today,
                                PersonalEffects.pooledMean(techniques.get(0), population, minUsers),
                                PersonalEffects.pooledMean(techniques.get(1), population, minUsers)));
                    }
                    trials.sort(java.util.Comparator.comparing(Results.TrialView::startDate)
                            .reversed()
                            .thenComparing(Results.TrialView::trialId));
                    return trials;
                })
                .compose(this::withPosteriors));
    }

    /**
     * Each trial of two complete pairs or more with its posterior (API.md section 8): the other people's counted
     * trials of its pair as the prior when they are k or more. The user is left out by their trials' ids (the
     * rows are by pseudonym).
     */
    private Future<List<Results.TrialView>> withPosteriors(List<Results.TrialView> trials) {
        java.util.Set<String> mine = new java.util.HashSet<>();
        trials.forEach(t -> mine.add(t.trialId()));
        List<Future<Results.TrialView>> done = new java.util.ArrayList<>();
        // one read of a pair's rows for all the user's trials of it, whichever order each asked
        Map<String, Future<io.painjournal.analytics.trials.PairTrials>> pairs = new java.util.HashMap<>();
        for (Results.TrialView t : trials) {
            if (t.result().pairsComplete() < 2) {
                done.add(Future.succeededFuture(t));
                continue;
            }
            String pairKey = io.painjournal.analytics.journal.JournalKeys.pairPrefix(t.techniques());
            done.add(pairs.computeIfAbsent(pairKey, k -> trialPairs.apply(t.techniques()))
                    .map(pair -> {
                        String me = pair.byUser().entrySet().stream()
                                .filter(e -> e.getValue().stream().anyMatch(c -> mine.contains(c.trialId())))
                                .map(Map.Entry::getKey)
                                .findFirst()
                                .orElse(null);
                        var others = io.painjournal.analytics.trials.TrialPopulation.pooled(
                                io.painjournal.analytics.trials.TrialPopulation.studies(
                                        pair.byUser(), t.techniques().get(0), LocalDate.now(clock), me),
                                minUsers);
                        var own = io.painjournal.analytics.trials.PooledTrials.Study.ofTrial(
                                t.result().meanDifference(),
                                t.result().sdDifference(),
                                t.result().pairsComplete());
                        var p = io.painjournal.analytics.trials.PooledTrials.posterior(own, others);
                        return t.withResult(t.result()
                                .withPosterior(new Results.TrialPosterior(
                                        p.mean(),
                                        p.sd(),
                                        new Results.Interval(p.lower(), p.upper()),
                                        p.probabilityFirstBetter(),
                                        p.probabilityFirstBetterByOne(),
                                        p.probabilitySecondBetterByOne(),
                                        p.priorTrials())));
                    }));
        }
        return Future.all(done).map(all -> done.stream().map(Future::result).toList());
    }

    @Override
    public Future<Results.ResearchPage> research(ResearchFilter filter, String after, int limit) {
        return views().compose(v -> v.research(filter, after, limit));
    }

    @Override
    public Future<Results.ExportPage> export(String userId, String after, int limit) {
        return exports.page(userId, after, limit);
    }

    @Override
    public Future<Results.CohortComparison> cohorts(CohortQuery q) {
        return bothArms(q).map(ab -> CohortStats.compare(q, ab[0], ab[1], journalViews.asOf()));
    }

    @Override
    public Future<PrivateRelease<Results.CohortComparison>> privateCohorts(CohortQuery q) {
        return bothArms(q)
                .map(ab -> release(
                        epsilon -> PrivateAnswers.cohorts(q, ab[0], ab[1], epsilon, noise, journalViews.asOf())));
    }

    /** The sums of arms a and b, read at once. */
    private Future<ArmSums[]> bothArms(CohortQuery q) {
        Future<ArmSums> a = arms.apply(new Arm(q.a(), q.technique(), q.days()));
        Future<ArmSums> b = arms.apply(new Arm(q.b(), q.technique(), q.days()));
        return Future.all(a, b).map(both -> new ArmSums[] {a.result(), b.result()});
    }

    @Override
    public Future<PrivateRelease<List<Results.ResearchRow>>> privateResearch(ResearchFilter filter) {
        BoundedResearch.Query q = new BoundedResearch.Query(
                filter.technique(),
                filter.cohort(),
                io.painjournal.analytics.journal.Weeks.weekStart(filter.from()),
                io.painjournal.analytics.journal.Weeks.weekStart(filter.to()),
                PrivateAnswers.MAX_CELLS,
                PrivateAnswers.MAX_SESSIONS);
        return bounded.apply(q)
                .map(sums -> release(epsilon -> PrivateAnswers.research(q, sums, epsilon, filter.minUsers(), noise)));
    }

    private static <T> PrivateRelease<T> release(java.util.function.DoubleFunction<T> publish) {
        return new PrivateRelease<>() {
            @Override
            public String mechanism() {
                return LaplaceNoise.MECHANISM;
            }

            @Override
            public T publish(double epsilon) {
                return publish.apply(epsilon);
            }
        };
    }

    private Future<Map<String, Stats>> populationStats(Views views) {
        Map<String, Stats> remembered = prior.getIfPresent("");
        if (remembered != null) {
            return Future.succeededFuture(remembered);
        }
        return views.populationStats().onSuccess(stats -> prior.put("", stats));
    }

    private Future<Views> views() {
        return aggregates.get().map(reader -> new Views(reader, clock, reportingCurrency, minUsers));
    }
}
