package io.painjournal.query;

import io.painjournal.query.Results.JournalView;
import io.painjournal.query.Results.PersonalTrendView;
import io.painjournal.query.Results.PersonalView;
import io.painjournal.query.Results.PopulationView;
import io.painjournal.query.Results.ResearchPage;
import io.painjournal.query.Results.TrendView;
import io.vertx.core.Future;
import java.time.LocalDate;

/**
 * The questions the api role asks analytics, one method per answer of API.md section 4. A future
 * fails with {@link NotReadyException} while the state cannot answer (starting, restoring,
 * rebalancing): the caller answers 503, never 500.
 */
public interface AnalyticsQueries {

    Future<PopulationView> population();

    Future<TrendView> trend(String technique, LocalDate from, LocalDate to);

    Future<PersonalView> personal(String userId);

    Future<PersonalTrendView> personalTrend(String userId, String technique, LocalDate from, LocalDate to);

    Future<JournalView> journal(String userId, LocalDate from, LocalDate to);

    /** The user's trials, newest {@code startDate} first (API.md section 5). */
    Future<Results.TrialList> trials(String userId);

    /** One trial of the user; fails with {@link java.util.NoSuchElementException} when there is none. */
    Future<Results.TrialView> trial(String userId, String trialId);

    /** The population of personal trials of two techniques, {@code first} − {@code second} (API.md section 8). */
    Future<Results.TrialSummary> trialSummary(String first, String second);

    /** Two study arms compared (API.md, {@code GET /v1/research/cohorts}), exact, small arms suppressed. */
    Future<Results.CohortComparison> cohorts(CohortQuery query);

    /**
     * The same, from bounded contributions, released with noise for the epsilon given to
     * {@link PrivateRelease#publish} ({@code privacy=dp}).
     */
    Future<PrivateRelease<Results.CohortComparison>> privateCohorts(CohortQuery query);

    /**
     * Every row of the filter's grid (its technique or every technique, its cohort, every week from {@code from}
     * to {@code to}: all three bounds are set), from bounded contributions, released with noise.
     */
    Future<PrivateRelease<java.util.List<Results.ResearchRow>>> privateResearch(ResearchFilter filter);

    /**
     * One page of the user's own export (API.md, {@code GET /v1/users/{userId}/export}), after {@code after} (null:
     * from the start), at most {@code limit} events.
     */
    Future<Results.ExportPage> export(String userId, String after, int limit);

    /** One page of the research export, in key order, after {@code after} (null: from the start). */
    Future<ResearchPage> research(ResearchFilter filter, String after, int limit);
}
