package io.painjournal.analytics.privacy;

import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.cohorts.CohortStats;
import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.query.CohortQuery;
import io.painjournal.query.Results.CohortComparison;
import io.painjournal.query.Results.ResearchRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code privacy=dp} answers from bounded sums (see {@code docs/PRIVACY.md}). The privacy unit is one user:
 * everything one user can change in an answer is bounded, each released sum gets discrete Laplace noise for its
 * bound, and the request's ε is split evenly over the released sums (sequential composition), so the whole
 * answer is ε-differentially private. Every figure shown is computed from the noisy sums only (post-processing)
 * and clamped to its possible range; the small-groups rule is applied to the noisy user counts.
 */
public final class PrivateAnswers {

    /** The sums released per arm: users, sessions, Σ m, Σ m², pain users, Σ p, Σ p². */
    static final int ARM_SUMS = 7;
    /** Per-user means and pain changes lie in [−10, 10]. */
    static final double BOUND = 10;

    /** The most research cells (technique, cohort, week) one user counts in per request. */
    public static final int MAX_CELLS = 8;
    /** The most sessions one user counts with in one research cell (a week of one technique). */
    public static final int MAX_SESSIONS = 7;

    private PrivateAnswers() {}

    /**
     * A cohort comparison: both arms' seven sums get noise at ε/14 each (a user may be in both arms). A user's
     * share: 1 user, at most {@code days} sessions, |m| ≤ 10, m² ≤ 100, and the same for the pain change.
     */
    public static CohortComparison cohorts(
            CohortQuery q, ArmSums a, ArmSums b, double epsilon, LaplaceNoise noise, Instant asOf) {
        double e = epsilon / (2 * ARM_SUMS);
        return CohortStats.compare(q, noisy(a, q.days(), e, noise), noisy(b, q.days(), e, noise), asOf);
    }

    static ArmSums noisy(ArmSums s, int days, double e, LaplaceNoise noise) {
        long users = Math.max(0, noise.count(s.users(), 1, e));
        long sessions = Math.max(0, noise.count(s.cappedSessions(), days, e));
        double sum = clamp(noise.sum(s.sumMean(), BOUND, e), -BOUND * users, BOUND * users);
        double squares = clamp(
                noise.sum(s.sumMeanSquares(), BOUND * BOUND, e),
                users == 0 ? 0 : sum * sum / users,
                BOUND * BOUND * users);
        long painUsers = Math.max(0, noise.count(s.painUsers(), 1, e));
        double pain = clamp(noise.sum(s.sumPain(), BOUND, e), -BOUND * painUsers, BOUND * painUsers);
        double painSquares = clamp(
                noise.sum(s.sumPainSquares(), BOUND * BOUND, e),
                painUsers == 0 ? 0 : pain * pain / painUsers,
                BOUND * BOUND * painUsers);
        return ArmSums.ofValues(users, sessions, sessions, sum, squares, painUsers, pain, painSquares);
    }

    /**
     * The research rows of {@code grid} (every cell of the request, in order), from bounded sums: each user is in
     * at most {@code maxCells} cells with at most {@code maxSessions} sessions each, so over the whole answer one
     * user changes the user counts by at most maxCells, the session counts by maxCells·maxSessions, and the sums of
     * scores by 10 (pain before, reduction), 100 (squared reduction) or 1 (painful, responder) times that; each of
     * the seven kinds gets ε/7. A row whose noisy user count is below k is suppressed.
     */
    public static List<ResearchRow> research(
            BoundedResearch.Query q, Map<String, double[]> sums, double epsilon, int k, LaplaceNoise noise) {
        double e = epsilon / BoundedResearch.SIZE;
        long cells = q.maxCells();
        double sessionsBound = (double) cells * q.maxSessions();
        List<ResearchRow> rows = new ArrayList<>();
        for (String key : q.grid()) {
            double[] s = sums.getOrDefault(key, new double[BoundedResearch.SIZE]);
            AggregateKey.Research cell = AggregateKey.Research.parse(key);
            long users = Math.max(0, noise.count(Math.round(s[BoundedResearch.USERS]), cells, e));
            double sessions = Math.max(0, noise.sum(s[BoundedResearch.SESSIONS], sessionsBound, e));
            double painBefore = noise.sum(s[BoundedResearch.PAIN_BEFORE], BOUND * sessionsBound, e);
            double reduction = noise.sum(s[BoundedResearch.REDUCTION], BOUND * sessionsBound, e);
            double squares = noise.sum(s[BoundedResearch.SQUARES], BOUND * BOUND * sessionsBound, e);
            double painful = noise.sum(s[BoundedResearch.PAINFUL], sessionsBound, e);
            double responders = noise.sum(s[BoundedResearch.RESPONDERS], sessionsBound, e);
            if (users < k || users == 0) {
                rows.add(new ResearchRow(
                        cell.technique(), cell.cohort(), cell.weekStart(), null, null, null, null, null, null, true));
                continue;
            }
            long n = Math.round(sessions);
            Double meanPainBefore = n == 0 ? null : clamp(painBefore / sessions, 0, BOUND);
            Double meanReduction = n == 0 ? null : clamp(reduction / sessions, -BOUND, BOUND);
            Double sd = null;
            if (sessions >= 2 && meanReduction != null) {
                double variance = (squares - sessions * meanReduction * meanReduction) / (sessions - 1);
                sd = Math.sqrt(clamp(variance, 0, 4 * BOUND * BOUND));
            }
            Double responderRate = painful < 1 ? null : clamp(responders / painful, 0, 1);
            rows.add(new ResearchRow(
                    cell.technique(),
                    cell.cohort(),
                    cell.weekStart(),
                    users,
                    n,
                    meanPainBefore,
                    meanReduction,
                    sd,
                    responderRate,
                    false));
        }
        return rows;
    }

    private static double clamp(double x, double low, double high) {
        return Math.max(low, Math.min(high, x));
    }
}
