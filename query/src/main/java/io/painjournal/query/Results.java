package io.painjournal.query;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The answers of the analytics queries (API.md section 4), as explicit types. Nulls mean "undefined".
 * These records are also the wire form: the api role writes them with Jackson, so a component's name is
 * its JSON field name and a new statistic is a new component (plus where it is computed, in analytics'
 * {@code Views}, and its line in {@code openapi.yaml}, which {@code OpenApiTest} holds the answers to).
 */
public final class Results {

    private Results() {}

    /** A closed interval [low, high], written as the array {@code [low, high]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record Interval(double low, double high) {}

    /**
     * One item of {@code GET /v1/techniques}; every number null when {@code suppressed} (fewer than k users:
     * API.md, small groups).
     */
    public record TechniqueSummary(
            String technique,
            Long sessions,
            Long users,
            Double meanReduction,
            Double sdReduction,
            Interval ci95,
            Double meanPercentReduction,
            Double responderRate,
            Double meanDurationMinutes,
            Double costPerPointCents,
            Map<String, Double> costPerPointByCurrency,
            Long followUps,
            Double meanLastingReduction,
            Double withinPersonSd,
            Double betweenPersonSd,
            boolean suppressed) {

        public static TechniqueSummary suppressed(String technique) {
            return new TechniqueSummary(
                    technique, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    true);
        }
    }

    public record PopulationView(Instant asOf, List<TechniqueSummary> techniques) {}

    /**
     * One week of a trend (technique or personal); every number null when {@code suppressed} (a technique
     * trend's week of fewer than k users, or one suppressed so that none can be derived; a user's own trend
     * is never suppressed).
     */
    public record TrendWeek(
            LocalDate weekStart,
            Long sessions,
            Long users,
            Double meanPainBefore,
            Double meanReduction,
            Double responderRate,
            boolean suppressed) {

        public static TrendWeek suppressed(LocalDate weekStart) {
            return new TrendWeek(weekStart, null, null, null, null, null, true);
        }
    }

    public record TrendView(Instant asOf, String technique, List<TrendWeek> weeks) {}

    /**
     * A user's posterior for one technique (API.md section 7): where the technique's effect on this user
     * probably lies, given the population and the user's own sessions.
     */
    public record PersonalPosterior(
            double mean,
            double sd,
            Interval credible95,
            double priorSessions,
            double probabilityMeaningful,
            double probabilityBest) {}

    /** One item of {@code GET /v1/users/{userId}/techniques}; {@code posterior} null when the technique has no model. */
    public record PersonalTechnique(
            String technique,
            long sessions,
            double meanReduction,
            Interval ci95,
            double estimate,
            boolean enoughData,
            long followUps,
            Double meanLastingReduction,
            PersonalPosterior posterior) {}

    /** A technique with a model that the user has not tried. */
    public record UntriedTechnique(String technique, PersonalPosterior posterior) {}

    /** What to try next: {@code reason} is {@code most-likely-best} or {@code worth-trying}. */
    public record Suggestion(String technique, double probabilityBest, String reason) {}

    public record PersonalView(
            Instant asOf,
            String userId,
            List<PersonalTechnique> techniques,
            List<UntriedTechnique> untried,
            Suggestion suggestion) {}

    public record PersonalTrendView(Instant asOf, String userId, String technique, List<TrendWeek> weeks) {}

    public record JournalWeek(
            LocalDate weekStart,
            long entries,
            Double meanPain,
            Double meanSleepQuality,
            Double meanStress,
            Double meanMood,
            Double meanAnxiety,
            long headacheDays) {}

    public record JournalView(Instant asOf, String userId, List<JournalWeek> weeks) {}

    /** One row of the research export; every number is null when {@code suppressed}. */
    public record ResearchRow(
            String technique,
            String cohort,
            LocalDate weekStart,
            Long users,
            Long sessions,
            Double meanPainBefore,
            Double meanReduction,
            Double sdReduction,
            Double responderRate,
            boolean suppressed) {}

    /** One period of a trial (API.md section 5): dates are UTC days, {@code end} exclusive. */
    public record TrialPeriod(
            int index,
            int pair,
            String technique,
            LocalDate start,
            LocalDate end,
            LocalDate washoutEnd,
            long onProtocolSessions,
            long offProtocolSessions) {}

    /** Where a running trial is today. */
    public record TrialToday(LocalDate date, int period, String technique, boolean washout) {}

    /** A complete pair's difference d = mean reduction of techniques[0]'s period − techniques[1]'s. */
    public record PairDifference(int pair, double difference) {}

    /**
     * A trial's analysis: paired periods, Student's t interval and probability, the verdict, the
     * population-pooled difference and the journal pain per technique; numbers null where undefined.
     */
    public record TrialResult(
            int pairsComplete,
            Double meanDifference,
            Double sdDifference,
            Interval ci95,
            Double probabilityFirstBetter,
            String verdict,
            Double pooledDifference,
            Map<String, Double> meanJournalPain,
            List<PairDifference> differences,
            TrialPosterior posterior) {

        public TrialResult withPosterior(TrialPosterior p) {
            return new TrialResult(
                    pairsComplete,
                    meanDifference,
                    sdDifference,
                    ci95,
                    probabilityFirstBetter,
                    verdict,
                    pooledDifference,
                    meanJournalPain,
                    differences,
                    p);
        }
    }

    /**
     * A trial's posterior difference, {@code techniques[0]} − {@code techniques[1]} (API.md section 8): its own pairs
     * combined with the other people's trials of the pair when there are k of them ({@code priorTrials}; 0: none).
     */
    public record TrialPosterior(
            double mean,
            double sd,
            Interval credible95,
            double probabilityFirstBetter,
            double probabilityFirstBetterByOne,
            double probabilitySecondBetterByOne,
            int priorTrials) {}

    /**
     * {@code GET /v1/trials/summary?techniques=a,b} (API.md section 8): the population of personal trials of a
     * pair, oriented as asked (a − b); every number null when {@code suppressed} (fewer than k counted trials).
     */
    public record TrialSummary(
            List<String> techniques,
            boolean suppressed,
            Integer trials,
            Double meanDifference,
            Interval ci95,
            Double betweenPersonSd,
            Interval predictionInterval95,
            Double shareFirstBetterByOne,
            Double shareSecondBetterByOne,
            Double heterogeneityQ) {

        public static TrialSummary suppressed(List<String> techniques) {
            return new TrialSummary(techniques, true, null, null, null, null, null, null, null, null);
        }
    }

    /** A trial: its request fields, its drawn order (as periods), status, today (while running) and result. */
    public record TrialView(
            String trialId,
            List<String> techniques,
            LocalDate startDate,
            int periodDays,
            int pairs,
            int washoutDays,
            String status,
            List<TrialPeriod> periods,
            @JsonInclude(JsonInclude.Include.NON_NULL) TrialToday today,
            TrialResult result) {

        public TrialView withResult(TrialResult r) {
            return new TrialView(
                    trialId, techniques, startDate, periodDays, pairs, washoutDays, status, periods, today, r);
        }
    }

    public record TrialList(Instant asOf, String userId, List<TrialView> trials) {}

    /** A page of research rows in key order; {@code next} is where the following page starts, or null at the end. */
    public record ResearchPage(List<ResearchRow> rows, String next) {}

    /**
     * One study arm of {@code GET /v1/research/cohorts} (API.md section 4): statistics over participants (the
     * unit is the user: per user the mean reduction of their arm sessions in their window). Every number is
     * null when {@code suppressed}; the pain-change figures are null when fewer than k users have them.
     */
    public record CohortArm(
            String cohort,
            boolean suppressed,
            Long users,
            Long sessions,
            Double meanReduction,
            Double sdReduction,
            Interval ci95,
            Double painChange,
            Double painChangeSd,
            Interval painChangeCi95,
            Long painChangeUsers) {

        public static CohortArm suppressed(String cohort) {
            return new CohortArm(cohort, true, null, null, null, null, null, null, null, null, null);
        }
    }

    /** What a {@code privacy=dp} answer spent: the mechanism, and the researcher's budget after it. */
    public record Privacy(String mechanism, double epsilonSpent, double epsilonLeft) {}

    /** Two arms compared (a − b); the between-arm figures are null when either arm is suppressed. */
    public record CohortComparison(
            Instant asOf,
            int days,
            String technique,
            CohortArm a,
            CohortArm b,
            Double difference,
            Interval differenceCi95,
            Double hedgesG,
            Double painChangeDifference,
            Interval painChangeDifferenceCi95,
            Privacy privacy) {

        public CohortComparison withPrivacy(Privacy privacy) {
            return new CohortComparison(
                    asOf,
                    days,
                    technique,
                    a,
                    b,
                    difference,
                    differenceCi95,
                    hedgesG,
                    painChangeDifference,
                    painChangeDifferenceCi95,
                    privacy);
        }
    }

    /**
     * A page of one user's export: their accepted events as normalised JSON (the batch item shape, {@code type}
     * included), in event-time order; {@code next} is where the following page starts, or null at the end.
     */
    public record ExportPage(List<String> events, String next) {}
}
