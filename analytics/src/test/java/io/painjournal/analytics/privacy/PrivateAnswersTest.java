package io.painjournal.analytics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.query.CohortQuery;
import io.painjournal.query.Results.CohortComparison;
import io.painjournal.query.Results.ResearchRow;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The private answers spread around the exact ones as their calibration says: each released sum's noise has
 * the variance of the discrete Laplace mechanism at its share of ε and its bound.
 */
class PrivateAnswersTest {

    private static final int RUNS = 4000;

    /** An arm of 1000 users, means 2, pain changes −1: large enough that no clamp bites. */
    private static final ArmSums ARM = ArmSums.ofValues(1000, 5000, 5000, 2000, 5000, 900, -900, 1500);

    @Test
    void cohortSumsGetNoiseAtAFourteenthOfEpsilonEach() {
        LaplaceNoise noise = new LaplaceNoise(new Random(11));
        double e = 0.5 / 14;
        double users = 0, usersSq = 0, sum = 0, sumSq = 0;
        for (int i = 0; i < RUNS; i++) {
            ArmSums n = PrivateAnswers.noisy(ARM, 28, e, noise);
            users += n.users() - 1000;
            usersSq += Math.pow(n.users() - 1000, 2);
            sum += n.sumMean() - 2000;
            sumSq += Math.pow(n.sumMean() - 2000, 2);
        }
        double usersVariance = LaplaceNoise.countVariance(1, e);
        assertEquals(0, users / RUNS, 4 * Math.sqrt(usersVariance / RUNS));
        assertEquals(usersVariance, usersSq / RUNS, 0.08 * usersVariance);
        double sumVariance = LaplaceNoise.sumVariance(PrivateAnswers.BOUND, e);
        assertEquals(0, sum / RUNS, 4 * Math.sqrt(sumVariance / RUNS));
        assertEquals(sumVariance, sumSq / RUNS, 0.08 * sumVariance);
    }

    @Test
    void aPrivateComparisonDiffersFromTheExactOneAndIsClampedToPossibleValues() {
        LaplaceNoise noise = new LaplaceNoise(new Random(5));
        CohortQuery q = new CohortQuery("a", "b", null, 28, 5);
        ArmSums small = ArmSums.ofValues(20, 60, 60, 40, 100, 20, -20, 40);
        int differing = 0;
        for (int i = 0; i < 200; i++) {
            CohortComparison c = PrivateAnswers.cohorts(q, small, ARM, 0.5, noise, Instant.EPOCH);
            if (c.a().suppressed()) { // the noisy count fell below k (the exact arm has 20 users)
                differing++;
                continue;
            }
            assertTrue(c.a().meanReduction() >= -10 && c.a().meanReduction() <= 10, "clamped");
            assertTrue(c.a().sdReduction() >= 0);
            if (c.a().users() != 20 || c.a().meanReduction() != 2.0) {
                differing++;
            }
        }
        assertTrue(differing > 190, differing + " of 200 differ from the exact answer");
    }

    /**
     * Two cells of a grid of one technique, one cohort, four weeks: every cell is a row, noisy user counts spread
     * with the variance of a count of sensitivity {@code MAX_CELLS} at ε/7, small ones are suppressed.
     */
    @Test
    void aPrivateExportHasEveryCellOfItsGridWithCalibratedNoise() {
        LocalDate w0 = LocalDate.parse("2026-11-02");
        BoundedResearch.Query q = new BoundedResearch.Query("melt", "arm", w0, w0.plusWeeks(3), 8, 7);
        String busy = AggregateKey.research("melt", "arm", w0);
        Map<String, double[]> sums = new HashMap<>();
        sums.put(busy, new double[] {2000, 6000, 36000, 12000, 36000, 6000, 3000});
        LaplaceNoise noise = new LaplaceNoise(new Random(9));
        double e = 0.5 / BoundedResearch.SIZE;
        double sq = 0;
        int suppressedEmpty = 0;
        for (int i = 0; i < RUNS; i++) {
            List<ResearchRow> rows = PrivateAnswers.research(q, sums, 0.5, 5, noise);
            assertEquals(4, rows.size(), "every week of the grid, whether anyone is in it or not");
            assertEquals(w0, rows.get(0).weekStart());
            sq += Math.pow(rows.get(0).users() - 2000, 2);
            assertTrue(rows.get(0).meanPainBefore() >= 0 && rows.get(0).meanPainBefore() <= 10);
            for (ResearchRow r : rows.subList(1, 4)) {
                if (r.suppressed()) {
                    suppressedEmpty++;
                }
            }
        }
        double variance = LaplaceNoise.countVariance(8, e);
        assertEquals(variance, sq / RUNS, 0.08 * variance);
        assertTrue(suppressedEmpty > 3 * RUNS * 0.45, "empty cells are mostly suppressed: " + suppressedEmpty);
        assertNotEquals(3 * RUNS, suppressedEmpty, "but noise sometimes lifts one above k: its figures are noise");
    }

    /** A user's sums in a cell with more than maxSessions sessions are scaled down to that many. */
    @Test
    void oneUsersContributionToACellIsBounded() {
        double[] into = new double[BoundedResearch.SIZE];
        Stats fourteen = Stats.ZERO;
        for (int i = 0; i < 14; i++) {
            fourteen = fourteen.plus(Stats.ofSession(8, 2, 20, null));
        }
        BoundedResearch.add(into, fourteen.withUsers(1), 7);
        assertEquals(1, into[BoundedResearch.USERS], 0);
        assertEquals(7, into[BoundedResearch.SESSIONS], 1e-9);
        assertEquals(42, into[BoundedResearch.REDUCTION], 1e-9);
        assertEquals(56, into[BoundedResearch.PAIN_BEFORE], 1e-9);
    }
}
