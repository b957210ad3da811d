package io.painjournal.analytics.trials;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every user's trials of one pair, by pseudonym, as read from store {@code trial-pairs} (one instance's or all). */
public record PairTrials(Map<String, List<CountedTrial>> byUser) {

    public static final PairTrials NONE = new PairTrials(Map.of());

    /** These and {@code other}'s (a user lives on one partition: no user is in both). */
    public PairTrials plus(PairTrials other) {
        Map<String, List<CountedTrial>> all = new TreeMap<>(byUser);
        all.putAll(other.byUser);
        return new PairTrials(all);
    }
}
