package io.painjournal.analytics.journal;

import java.time.LocalDate;

/**
 * Keys of the re-aggregated tables, as sortable strings (ISO dates sort by time):
 * <ul>
 *   <li>{@code T|technique}: the population per-technique view;</li>
 *   <li>{@code W|technique|weekStart}: the technique's weekly trend;</li>
 *   <li>{@code R|technique|cohort|weekStart}: the research rows ({@code cohort} is {@code none} when untagged).</li>
 *   <li>{@code C|technique|currency}: the money of the technique's sessions that carried a cost, per currency.</li>
 * </ul>
 * Neither technique ids, cohorts nor user ids contain {@code '|'}.
 */
public final class AggregateKey {

    public static final String TECHNIQUE = "T|";
    public static final String WEEK = "W|";
    public static final String RESEARCH = "R|";
    public static final String COST = "C|";
    /** ISO 4217's "no currency": a cost without one (the validation makes this impossible; old data may not). */
    public static final String NO_CURRENCY = "XXX";

    public static final String NO_COHORT = "none";
    /**
     * Sorts after every character a key part may hold: {@code prefix + END} is an inclusive upper bound
     * for every key with that prefix (also what the range scans of the per-user stores end with).
     */
    public static final String END = "~";

    private AggregateKey() {}

    public static String technique(String technique) {
        return TECHNIQUE + technique;
    }

    /** The technique of a {@link #technique} key. */
    public static String techniqueOf(String key) {
        if (!key.startsWith(TECHNIQUE)) {
            throw new IllegalArgumentException("not a technique key: " + key);
        }
        return key.substring(TECHNIQUE.length());
    }

    /** The week of a {@link #week} key of this technique. */
    public static LocalDate weekOf(String technique, String key) {
        String prefix = weekPrefix(technique);
        if (!key.startsWith(prefix)) {
            throw new IllegalArgumentException("not a week key of " + technique + ": " + key);
        }
        return LocalDate.parse(key.substring(prefix.length()));
    }

    public static String week(String technique, LocalDate weekStart) {
        return weekPrefix(technique) + weekStart;
    }

    /** The start of every week key of one technique. */
    public static String weekPrefix(String technique) {
        return WEEK + technique + "|";
    }

    public static String research(String technique, String cohort, LocalDate weekStart) {
        return new Research(technique, cohort == null ? NO_COHORT : cohort, weekStart).key();
    }

    /** A technique's sessions that carried a cost in one currency (only their money sums are read). */
    public static String cost(String technique, String currency) {
        return COST + technique + "|" + (currency == null ? NO_CURRENCY : currency);
    }

    /** The technique and the currency of a {@link #cost} key. */
    public static String[] costOf(String key) {
        if (!key.startsWith(COST)) {
            throw new IllegalArgumentException("not a cost key: " + key);
        }
        int bar = key.indexOf('|', COST.length());
        return new String[] {key.substring(COST.length(), bar), key.substring(bar + 1)};
    }

    /** The start of every research key of one technique, or of all of them ({@code technique} null). */
    public static String researchPrefix(String technique) {
        return RESEARCH + (technique == null ? "" : technique + "|");
    }

    /** A research key's parts; {@link #parse} reads what {@link #key} wrote. */
    public record Research(String technique, String cohort, LocalDate weekStart) {

        public String key() {
            return RESEARCH + technique + "|" + cohort + "|" + weekStart;
        }

        public static Research parse(String key) {
            if (!key.startsWith(RESEARCH)) {
                throw new IllegalArgumentException("not a research key: " + key);
            }
            int technique = key.indexOf('|', RESEARCH.length());
            int cohort = key.indexOf('|', technique + 1);
            return new Research(
                    key.substring(RESEARCH.length(), technique),
                    key.substring(technique + 1, cohort),
                    LocalDate.parse(key.substring(cohort + 1)));
        }
    }
}
