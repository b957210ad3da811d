package io.painjournal.analytics.trials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which trials count, and how: the latest of a user's, oriented as asked, left out for its own prior, at k. */
class TrialPopulationTest {

    static final LocalDate TODAY = LocalDate.parse("2026-12-08");
    static final List<String> MELT_FIRST = List.of("melt", "tennis-ball");
    static final List<String> BALL_FIRST = List.of("tennis-ball", "melt");

    static CountedTrial trial(
            String id, List<String> techniques, String start, String end, boolean cancelled, int n, double mean) {
        return new CountedTrial(
                id, techniques, LocalDate.parse(start), LocalDate.parse(end), cancelled, n, mean, n >= 2 ? 1.0 : null);
    }

    @Test
    void aUserCountsOnceWithTheLatestCountedTrial() {
        CountedTrial older = trial("a", MELT_FIRST, "2026-09-01", "2026-10-01", false, 3, 1.0);
        CountedTrial newer = trial("b", MELT_FIRST, "2026-10-05", "2026-11-02", false, 2, 2.0);
        CountedTrial running = trial("c", MELT_FIRST, "2026-11-20", "2026-12-18", false, 2, 9.0);
        CountedTrial tooShort = trial("d", MELT_FIRST, "2026-11-10", "2026-12-01", false, 1, 9.0);
        assertEquals(newer, CountedTrial.latest(List.of(older, newer, running, tooShort), TODAY));
        // equal start dates: the greater trialId
        CountedTrial twin = trial("z", MELT_FIRST, "2026-10-05", "2026-11-02", false, 2, 5.0);
        assertEquals(twin, CountedTrial.latest(List.of(newer, twin), TODAY));
        assertNull(CountedTrial.latest(List.of(running, tooShort), TODAY));
    }

    @Test
    void aCancelledTrialWithTwoCompletePairsCountsAtOnce() {
        CountedTrial cancelled = trial("a", MELT_FIRST, "2026-11-20", "2026-12-18", true, 2, 1.5);
        assertEquals(cancelled, CountedTrial.latest(List.of(cancelled), TODAY));
        assertNull(
                CountedTrial.latest(List.of(trial("b", MELT_FIRST, "2026-11-20", "2026-12-18", true, 1, 1.5)), TODAY));
    }

    @Test
    void differencesAreOrientedAsThePairWasAsked() {
        Map<String, List<CountedTrial>> byUser = new TreeMap<>();
        byUser.put("u1", List.of(trial("a", MELT_FIRST, "2026-09-01", "2026-10-01", false, 2, 1.5)));
        byUser.put("u2", List.of(trial("b", BALL_FIRST, "2026-09-01", "2026-10-01", false, 2, 0.5)));
        List<PooledTrials.Study> meltFirst = TrialPopulation.studies(byUser, "melt", TODAY, null);
        assertEquals(
                List.of(1.5, -0.5),
                meltFirst.stream().map(PooledTrials.Study::difference).toList());
        List<PooledTrials.Study> ballFirst = TrialPopulation.studies(byUser, "tennis-ball", TODAY, null);
        assertEquals(
                List.of(-1.5, 0.5),
                ballFirst.stream().map(PooledTrials.Study::difference).toList());
        assertEquals(1.0 / 2, meltFirst.get(0).variance(), 1e-12, "max(1², 0.25)/2");
    }

    @Test
    void aUsersOwnTrialsAreLeftOutOfTheirPriorAndFewerThanKArePooledNever() {
        Map<String, List<CountedTrial>> byUser = new TreeMap<>();
        for (int u = 0; u < 5; u++) {
            byUser.put("u" + u, List.of(trial("t" + u, MELT_FIRST, "2026-09-01", "2026-10-01", false, 2, u)));
        }
        assertNotNull(TrialPopulation.pooled(TrialPopulation.studies(byUser, "melt", TODAY, null), 5), "exactly k");
        List<PooledTrials.Study> others = TrialPopulation.studies(byUser, "melt", TODAY, "u0");
        assertEquals(4, others.size());
        assertNull(TrialPopulation.pooled(others, 5), "k − 1 others: no prior");
        assertEquals(4, TrialPopulation.pooled(others, 4).studies());
        assertNull(TrialPopulation.pooled(List.of(), 0), "nothing to pool");
    }
}
