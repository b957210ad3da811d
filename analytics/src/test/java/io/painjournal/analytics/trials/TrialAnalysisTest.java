package io.painjournal.analytics.trials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.events.Trial;
import io.painjournal.query.Results.PairDifference;
import io.painjournal.query.Results.TrialPeriod;
import io.painjournal.query.Results.TrialResult;
import io.painjournal.query.Results.TrialView;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The schedule and every formula of API.md section 5 on worked examples (the figures worked out here). */
class TrialAnalysisTest {

    private static final double EPS = 1e-9;
    private static final String MELT = "melt";
    private static final String BALL = "tennis-ball";
    /** Periods: melt, ball | ball, melt | melt, ball; 7 days from Monday 2026-10-05, 1 washout day. */
    private static final Trial TRIAL = new Trial(
            "0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a10",
            "u1",
            List.of(MELT, BALL),
            LocalDate.parse("2026-10-05"),
            7,
            3,
            1,
            List.of(MELT, BALL, BALL, MELT, MELT, BALL),
            Instant.parse("2026-10-01T09:00:00Z"));

    private static SessionFact session(String technique, String at, int before, int after) {
        return new SessionFact(UUID.randomUUID(), technique, Instant.parse(at), 10, before, after, null, null, null);
    }

    private static EntryFact entry(String at, int pain) {
        return new EntryFact(UUID.randomUUID(), Instant.parse(at), pain, null, null, null, null, null);
    }

    private final List<SessionFact> sessions = new ArrayList<>(List.of(
            session(MELT, "2026-10-07T18:00:00Z", 7, 3), // p0, on protocol: 4
            session(MELT, "2026-10-08T18:00:00Z", 6, 3), // p0, on protocol: 3 → mean 3.5
            session(MELT, "2026-10-05T18:00:00Z", 8, 2), // p0, in washout: off protocol
            session(BALL, "2026-10-14T18:00:00Z", 7, 5), // p1, on protocol: 2
            session(MELT, "2026-10-15T18:00:00Z", 9, 0), // p1, the other technique: off protocol
            session(MELT, "2026-10-12T00:00:00Z", 9, 0), // p1's first instant (end of p0 is exclusive): off
            session(BALL, "2026-10-20T18:00:00Z", 6, 4), // p2, on protocol: 2
            session(MELT, "2026-10-27T18:00:00Z", 6, 1), // p3, on protocol: 5
            session(MELT, "2026-11-03T18:00:00Z", 5, 2), // p4, on protocol: 3; p5 has none: pair 2 incomplete
            session(BALL, "2026-09-30T18:00:00Z", 9, 0))); // before the trial: nowhere
    private final List<EntryFact> entries = List.of(
            entry("2026-10-05T12:00:00Z", 9), // p0 washout (its first day): not counted
            entry("2026-10-09T08:00:00Z", 4), // melt
            entry("2026-10-12T00:00:00Z", 9), // p1's first instant, in its washout: not counted
            entry("2026-10-13T00:00:00Z", 6), // p1 after washout: tennis ball
            entry("2026-10-18T23:59:59Z", 5), // p1's last second: tennis ball
            entry("2026-10-28T08:00:00Z", 2)); // melt

    private TrialView view(LocalDate today, Double mu0, Double mu1) {
        return TrialAnalysis.view(new TrialFact(TRIAL, null), sessions, entries, today, mu0, mu1);
    }

    @Test
    void theScheduleHasTwoPeriodsPerPairWithWashoutAtTheStartOfEach() {
        List<TrialPeriod> periods =
                view(LocalDate.parse("2026-12-01"), null, null).periods();
        assertEquals(6, periods.size());
        assertEquals(
                new TrialPeriod(
                        0,
                        0,
                        MELT,
                        LocalDate.parse("2026-10-05"),
                        LocalDate.parse("2026-10-12"),
                        LocalDate.parse("2026-10-06"),
                        2,
                        1),
                periods.get(0));
        assertEquals(
                new TrialPeriod(
                        1,
                        0,
                        BALL,
                        LocalDate.parse("2026-10-12"),
                        LocalDate.parse("2026-10-19"),
                        LocalDate.parse("2026-10-13"),
                        1,
                        2),
                periods.get(1));
        assertEquals(LocalDate.parse("2026-11-16"), periods.get(5).end());
        assertEquals(0, periods.get(5).onProtocolSessions());
    }

    @Test
    void pairedDifferencesWithStudentsT() {
        TrialResult r = view(LocalDate.parse("2026-12-01"), 3.0, 2.0).result();
        assertEquals(2, r.pairsComplete());
        // d0 = melt 3.5 − ball 2 (melt first); d1 = melt 5 − ball 2 (ball first): always techniques[0] − [1]
        assertEquals(List.of(new PairDifference(0, 1.5), new PairDifference(1, 3.0)), r.differences());
        assertEquals(2.25, r.meanDifference(), EPS);
        assertEquals(Math.sqrt(1.125), r.sdDifference(), EPS);
        double half = 12.706204736174707 * Math.sqrt(1.125) / Math.sqrt(2); // t(0.975, 1)
        assertEquals(2.25 - half, r.ci95().low(), 1e-6);
        assertEquals(2.25 + half, r.ci95().high(), 1e-6);
        // with 1 degree of freedom T is Cauchy: P(T < 3) = 1/2 + atan(3)/π
        assertEquals(0.5 + Math.atan(3) / Math.PI, r.probabilityFirstBetter(), 1e-9);
        assertEquals("undecided", r.verdict());
        assertEquals((1.5 + 3.0 + 3.0 - 2.0) / 3, r.pooledDifference(), EPS);
        assertEquals(Map.of(MELT, 3.0, BALL, 5.5), r.meanJournalPain());
    }

    @Test
    void withoutPopulationMeansThereIsNoPooling() {
        assertNull(view(LocalDate.parse("2026-12-01"), 3.0, null).result().pooledDifference());
        assertNull(view(LocalDate.parse("2026-12-01"), null, 2.0).result().pooledDifference());
    }

    @Test
    void oneCompletePairHasAMeanButNoIntervalAndNoneHasNothing() {
        sessions.removeIf(s -> s.startedAt().isAfter(Instant.parse("2026-10-22T00:00:00Z")));
        TrialResult one = view(LocalDate.parse("2026-12-01"), 3.0, 2.0).result();
        assertEquals(1, one.pairsComplete());
        assertEquals(1.5, one.meanDifference(), EPS);
        assertNull(one.sdDifference());
        assertNull(one.ci95());
        assertNull(one.probabilityFirstBetter());
        assertEquals("undecided", one.verdict(), "n < 2");
        assertEquals((1.5 + 1.0) / 2, one.pooledDifference(), EPS);

        sessions.clear();
        TrialResult none = view(LocalDate.parse("2026-12-01"), 3.0, 2.0).result();
        assertEquals(0, none.pairsComplete());
        assertNull(none.meanDifference());
        assertEquals("undecided", none.verdict());
        assertEquals(1.0, none.pooledDifference(), EPS, "the population difference alone");
        assertEquals(Map.of(MELT, 3.0, BALL, 5.5), none.meanJournalPain(), "entries count without sessions");
    }

    @Test
    void aZeroSpreadGivesCertaintyByTheSignOfTheMean() {
        assertResult(List.of(2.0, 2.0), 1.0, "first-better");
        assertResult(List.of(-1.0, -1.0), 0.0, "second-better");
        assertResult(List.of(0.0, 0.0), 0.5, "no-difference");
        TrialResult zero = TrialAnalysis.result(pairs(2.0, 2.0), null, null, Map.of());
        assertEquals(2.0, zero.ci95().low(), EPS);
        assertEquals(2.0, zero.ci95().high(), EPS);
    }

    @Test
    void verdictsFollowTheInterval() {
        // eight pairs close to 0: t(0.975, 7) = 2.3646, the interval lies within ±1
        TrialResult close = TrialAnalysis.result(pairs(0.1, -0.1, 0.2, -0.2, 0, 0.1, -0.1, 0), null, null, Map.of());
        assertEquals("no-difference", close.verdict());
        assertEquals(0.5, close.probabilityFirstBetter(), EPS);
        // clearly positive: 3, 4, 5 → mean 4, sd 1, se 1/√3, t(0.975, 2) = 4.3027
        TrialResult better = TrialAnalysis.result(pairs(3, 4, 5), null, null, Map.of());
        assertEquals(4 - 4.302652729911275 / Math.sqrt(3), better.ci95().low(), 1e-6);
        assertEquals("first-better", better.verdict());
        assertEquals(
                "second-better",
                TrialAnalysis.result(pairs(-3, -4, -5), null, null, Map.of()).verdict());
        assertEquals(
                "undecided",
                TrialAnalysis.result(pairs(0.5, -0.5), null, null, Map.of()).verdict());
    }

    @Test
    void statusAndTodayFollowTheCalendar() {
        TrialView before = view(LocalDate.parse("2026-10-04"), null, null);
        assertEquals("scheduled", before.status());
        assertNull(before.today());
        TrialView washout = view(LocalDate.parse("2026-10-19"), null, null);
        assertEquals("running", washout.status());
        assertEquals(
                new io.painjournal.query.Results.TrialToday(LocalDate.parse("2026-10-19"), 2, BALL, true),
                washout.today());
        assertEquals(
                false, view(LocalDate.parse("2026-10-20"), null, null).today().washout());
        assertEquals("running", view(LocalDate.parse("2026-11-15"), null, null).status());
        TrialView after = view(LocalDate.parse("2026-11-16"), null, null);
        assertEquals("completed", after.status());
        assertNull(after.today());
    }

    @Test
    void cancellingDropsLaterPeriodsAndEndsTheCurrentOneThatDay() {
        TrialView cancelled = TrialAnalysis.view(
                new TrialFact(TRIAL, Instant.parse("2026-10-20T15:00:00Z")),
                sessions,
                entries,
                LocalDate.parse("2026-10-25"),
                null,
                null);
        assertEquals("cancelled", cancelled.status());
        assertNull(cancelled.today());
        assertEquals(3, cancelled.periods().size());
        assertEquals(LocalDate.parse("2026-10-21"), cancelled.periods().get(2).end());
        TrialResult r = cancelled.result();
        assertEquals(1, r.pairsComplete(), "pair 1 lost its second period");
        assertEquals(1.5, r.meanDifference(), EPS);
        assertEquals(Map.of(MELT, 4.0, BALL, 5.5), r.meanJournalPain(), "melt's later entry is after the end");
    }

    private static void assertResult(List<Double> ds, double probability, String verdict) {
        TrialResult r = TrialAnalysis.result(
                pairs(ds.stream().mapToDouble(Double::doubleValue).toArray()), null, null, Map.of());
        assertEquals(0.0, r.sdDifference(), EPS);
        assertEquals(probability, r.probabilityFirstBetter(), EPS);
        assertEquals(verdict, r.verdict());
    }

    private static List<PairDifference> pairs(double... ds) {
        List<PairDifference> out = new ArrayList<>();
        for (int i = 0; i < ds.length; i++) {
            out.add(new PairDifference(i, ds[i]));
        }
        return out;
    }
}
