package io.painjournal.analytics.trials;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The population of personal trials of one pair (API.md section 8): each user's counted trial on a day, as a
 * study oriented the way the pair was asked, pooled when there are at least k of them.
 */
public final class TrialPopulation {

    private TrialPopulation() {}

    /**
     * The studies of the users' counted trials on {@code today}, {@code first} − the other technique; the
     * trials of {@code leftOut} (a pseudonym, or null) are not among them.
     *
     * @param byUser each user's trials of the pair, by pseudonym
     */
    public static List<PooledTrials.Study> studies(
            Map<String, List<CountedTrial>> byUser, String first, LocalDate today, String leftOut) {
        List<PooledTrials.Study> studies = new ArrayList<>();
        byUser.forEach((user, trials) -> {
            if (!user.equals(leftOut)) {
                CountedTrial counted = CountedTrial.latest(trials, today);
                if (counted != null) {
                    studies.add(counted.study(first));
                }
            }
        });
        return studies;
    }

    /** The pooled trials, or null when fewer than {@code minTrials} count (the small-groups rule). */
    public static PooledTrials.Pooled pooled(List<PooledTrials.Study> studies, int minTrials) {
        return studies.isEmpty() || studies.size() < minTrials ? null : PooledTrials.of(studies);
    }
}
