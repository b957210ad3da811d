package io.painjournal.analytics.trials;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * What the population of trials needs of one user's trial (API.md section 8), kept by the stream in store
 * {@code trial-pairs} under {@code a|b|pseudonym|trialId} (a, b: the pair's ids in order), so a summary reads
 * the pair's rows and never a journal.
 *
 * @param end            the day after the trial's last period (it is {@code completed} from then on)
 * @param pairs          complete pairs n
 * @param meanDifference mean of the pairs' differences, {@code techniques[0]} − {@code techniques[1]} (null: n = 0)
 * @param sdDifference   their sample sd (null: n &lt; 2)
 */
public record CountedTrial(
        String trialId,
        List<String> techniques,
        LocalDate startDate,
        LocalDate end,
        boolean cancelled,
        int pairs,
        Double meanDifference,
        Double sdDifference) {

    /** Whether it counts on {@code today}: completed or cancelled, with two complete pairs or more. */
    public boolean countsOn(LocalDate today) {
        return (cancelled || !today.isBefore(end)) && pairs >= 2;
    }

    /** Its study for the pair asked as {@code first} − other: the difference negated when asked the other way. */
    public PooledTrials.Study study(String first) {
        double d = techniques.get(0).equals(first) ? meanDifference : -meanDifference;
        return PooledTrials.Study.ofTrial(d, sdDifference, pairs);
    }

    /** A user's counted trial on {@code today}: the latest {@code startDate}, equal dates the greater id; or null. */
    public static CountedTrial latest(List<CountedTrial> usersTrials, LocalDate today) {
        return usersTrials.stream()
                .filter(t -> t.countsOn(today))
                .max(Comparator.comparing(CountedTrial::startDate).thenComparing(CountedTrial::trialId))
                .orElse(null);
    }
}
