package io.painjournal.analytics.journal;

import java.time.LocalDate;

/**
 * Keys of the re-aggregated tables, as sortable strings (ISO dates sort by time):
 * <ul>
 *   <li>{@code T|technique}: the population per-technique view;</li>
 *   <li>{@code W|technique|weekStart}: the technique's weekly trend;</li>
 *   <li>{@code R|technique|cohort|weekStart}: the research rows ({@code cohort} is {@code none} when untagged).</li>
 * </ul>
 * Neither technique ids, cohorts nor user ids contain {@code '|'}.
 */
public final class AggregateKey {

    public static final String TECHNIQUE = "T|";
    public static final String WEEK = "W|";
    public static final String RESEARCH = "R|";
    public static final String NO_COHORT = "none";

    private AggregateKey() {
    }

    public static String technique(String technique) {
        return TECHNIQUE + technique;
    }

    public static String week(String technique, LocalDate weekStart) {
        return WEEK + technique + "|" + weekStart;
    }

    public static String research(String technique, String cohort, LocalDate weekStart) {
        return RESEARCH + technique + "|" + (cohort == null ? NO_COHORT : cohort) + "|" + weekStart;
    }
}
