package io.painjournal.analytics.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.query.CohortQuery;
import io.painjournal.query.Results.CohortComparison;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The formulas of the cohort comparison against worked examples (figures from scipy.stats: t(0.975, 2) =
 * 4.302653, t(0.975, 3) = 3.182446).
 */
class CohortStatsTest {

    private static final double EPS = 1e-6;
    private static final Instant T0 = Instant.parse("2026-10-05T08:00:00Z");

    /** Users' means: arm a 2, 3, 4 (mean 3, sd 1); arm b 1, 1, 2, 2 (mean 1.5, sd 0.57735). */
    private static ArmSums sums(double... means) {
        ArmSums s = ArmSums.ZERO;
        for (double m : means) {
            s = s.plus(new CohortWindow.UserValue(2, m, m - 5), 28);
        }
        return s;
    }

    @Test
    void armsAndTheirDifferenceMatchTheWorkedExample() {
        CohortComparison c =
                CohortStats.compare(new CohortQuery("a", "b", null, 28, 2), sums(2, 3, 4), sums(1, 1, 2, 2), T0);
        assertEquals(3, c.a().users());
        assertEquals(6, c.a().sessions());
        assertEquals(3.0, c.a().meanReduction(), EPS);
        assertEquals(1.0, c.a().sdReduction(), EPS);
        // 3 ± 4.302653 · 1/√3
        assertEquals(0.515862, c.a().ci95().low(), EPS);
        assertEquals(5.484138, c.a().ci95().high(), EPS);
        assertEquals(Math.sqrt(1 / 3.0), c.b().sdReduction(), EPS);
        // Welch: se² = 1/3 + (1/3)/4, df = 3.0 exactly, 1.5 ± 3.182446 · 0.645497
        assertEquals(1.5, c.difference(), EPS);
        assertEquals(-0.554260, c.differenceCi95().low(), EPS);
        assertEquals(3.554260, c.differenceCi95().high(), EPS);
        // pooled sd √(3/5), g = 1.5 / 0.774597 · (1 − 3/19)
        assertEquals(1.630730, c.hedgesG(), EPS);
        // the pain changes are the means − 5: the same spread, the same difference
        assertEquals(-2.0, c.a().painChange(), EPS);
        assertEquals(1.5, c.painChangeDifference(), EPS);
        assertEquals(-0.554260, c.painChangeDifferenceCi95().low(), EPS);
        assertNull(c.privacy());
    }

    /**
     * An arm added up partition by partition on one instance, or as two instances' shares that the api adds:
     * the same sums to the last digit, so one instance and two answer the same comparison. Users' means are
     * thirds, sevenths and the like (sums of reductions over session counts), whose floating-point sums
     * depend on the order. SplitScenario met the difference: "the same comparison from the instance left".
     */
    @Test
    void anArmSumsTheSameInAnyGrouping() {
        java.util.Random random = new java.util.Random(3);
        List<CohortWindow.UserValue> users = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int n = 1 + random.nextInt(9);
            double mean = (double) (random.nextInt(21 * n) - 10 * n) / n;
            Double pain = random.nextBoolean() ? (double) (random.nextInt(61) - 30) / 7 : null;
            users.add(new CohortWindow.UserValue(n, mean, pain));
        }
        ArmSums inOrder = ArmSums.ZERO;
        double inOrderDouble = 0;
        for (CohortWindow.UserValue u : users) {
            inOrder = inOrder.plus(u, 28);
            inOrderDouble += u.meanReduction();
        }
        int differentDoubles = 0;
        for (int round = 0; round < 20; round++) {
            java.util.Collections.shuffle(users, random);
            int cut = 1 + random.nextInt(users.size() - 1);
            ArmSums first = ArmSums.ZERO;
            ArmSums second = ArmSums.ZERO;
            double firstDouble = 0;
            double secondDouble = 0;
            for (int i = 0; i < users.size(); i++) {
                if (i < cut) {
                    first = first.plus(users.get(i), 28);
                    firstDouble += users.get(i).meanReduction();
                } else {
                    second = second.plus(users.get(i), 28);
                    secondDouble += users.get(i).meanReduction();
                }
            }
            assertEquals(inOrder, second.plus(first), "round " + round);
            CohortQuery q = new CohortQuery("a", "b", null, 28, 2);
            assertEquals(
                    CohortStats.compare(q, inOrder, sums(1, 2), T0),
                    CohortStats.compare(q, first.plus(second), sums(1, 2), T0));
            if (firstDouble + secondDouble != inOrderDouble) {
                differentDoubles++;
            }
        }
        assertTrue(differentDoubles > 0, "the values are ones whose double sums depend on the grouping");
    }

    @Test
    void anArmBelowKIsSuppressedAndSoIsEveryFigureBetweenArms() {
        CohortComparison c =
                CohortStats.compare(new CohortQuery("a", "b", "melt", 28, 4), sums(2, 3, 4), sums(1, 1, 2, 2), T0);
        assertTrue(c.a().suppressed());
        assertNull(c.a().users());
        assertNull(c.a().meanReduction());
        assertEquals(4, c.b().users());
        assertNull(c.difference());
        assertNull(c.differenceCi95());
        assertNull(c.hedgesG());
        assertNull(c.painChangeDifference());
        assertEquals("melt", c.technique());
    }

    @Test
    void equalValuesHaveNoSpreadAndNoEffectSize() {
        CohortComparison c = CohortStats.compare(new CohortQuery("a", "b", null, 28, 2), sums(2, 2), sums(1, 1), T0);
        assertEquals(0.0, c.a().sdReduction(), 0);
        assertEquals(1.0, c.differenceCi95().low(), EPS, "a zero-width interval");
        assertEquals(1.0, c.differenceCi95().high(), EPS);
        assertNull(c.hedgesG(), "no pooled spread: g is undefined");
    }

    @Test
    void painChangeNeedsKUsersWithEntriesOnBothSides() {
        ArmSums a = ArmSums.ZERO
                .plus(new CohortWindow.UserValue(1, 2, -1.0), 28)
                .plus(new CohortWindow.UserValue(1, 3, null), 28)
                .plus(new CohortWindow.UserValue(1, 4, null), 28);
        CohortComparison c = CohortStats.compare(new CohortQuery("a", "b", null, 28, 2), a, sums(1, 2), T0);
        assertEquals(1, c.a().painChangeUsers());
        assertNull(c.a().painChange(), "one user's pain change is not published");
        assertNull(c.painChangeDifference());
        assertEquals(1.5, c.difference(), EPS);
    }

    /**
     * A window of 28 days from the first melt session tagged "arm": sessions outside it, of other cohorts or
     * techniques do not count; pain in the last 7 days (mean 3) minus the 7 days before (mean 6) = −3.
     */
    @Test
    void aUsersWindowCountsTheirArmSessionsAndThePainAroundIt() {
        List<SessionFact> sessions = List.of(
                session("melt", "arm", T0, 7, 3), // first: the window is [T0, T0 + 28 d)
                session("melt", "arm", T0.plusSeconds(27 * 86400), 6, 4),
                session("melt", "arm", T0.plusSeconds(28 * 86400), 9, 0), // just outside
                session("melt", "other", T0.plusSeconds(86400), 9, 0),
                session("shiatsu", "arm", T0.plusSeconds(86400), 9, 0));
        List<EntryFact> entries = List.of(
                entry(T0.minusSeconds(7 * 86400), 5), // first instant of the week before
                entry(T0.minusSeconds(1), 7),
                entry(T0.minusSeconds(7 * 86400 + 1), 0), // too early
                entry(T0.plusSeconds(21 * 86400), 2), // first instant of the last week
                entry(T0.plusSeconds(28 * 86400 - 1), 4),
                entry(T0.plusSeconds(28 * 86400), 10)); // after the window
        CohortWindow.UserValue v = CohortWindow.of(sessions, entries, T0, 28, "arm", "melt");
        assertEquals(2, v.sessions());
        assertEquals(3.0, v.meanReduction(), EPS);
        assertEquals(-3.0, v.painChange(), EPS);

        CohortWindow.UserValue any = CohortWindow.of(sessions, entries, T0, 28, "arm", null);
        assertEquals(3, any.sessions(), "any technique: shiatsu counts too");
        assertEquals((4 + 2 + 9) / 3.0, any.meanReduction(), EPS);
        assertNull(CohortWindow.of(sessions, List.of(entries.get(0)), T0, 28, "arm", null)
                .painChange());
    }

    private static SessionFact session(String technique, String cohort, Instant at, int before, int after) {
        return new SessionFact(UUID.randomUUID(), technique, at, 20, before, after, null, null, cohort);
    }

    private static EntryFact entry(Instant at, int pain) {
        return new EntryFact(UUID.randomUUID(), at, pain, null, null, null, null, null);
    }
}
