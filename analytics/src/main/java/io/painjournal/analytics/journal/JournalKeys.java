package io.painjournal.analytics.journal;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Keys of the per-user state stores. Every key starts with {@code user|}, where {@code user} is the user's
 * pseudonym ({@link io.painjournal.privacy.Pseudonyms}: no store names a user), so one user's rows are one
 * contiguous range ({@link #userFrom} to {@link #userTo}: pseudonyms never contain {@code '|'} and
 * {@code '}'} is the next byte), and rows of sessions and entries continue with a sortable time, so
 * "the sessions that started between t1 and t2" is a range scan too:
 * <ul>
 *   <li>seen ids: {@code user|eventId};</li>
 *   <li>sessions and entries: {@code user|time|eventId}, time as 24 hex digits that sort as the instant;</li>
 *   <li>contributions: {@code user|aggregateKey} (see {@link AggregateKey}).</li>
 * </ul>
 */
public final class JournalKeys {

    private static final HexFormat HEX = HexFormat.of();

    private JournalKeys() {}

    public static String seen(String userId, UUID eventId) {
        return userId + '|' + eventId;
    }

    public static String timed(String userId, Instant at, UUID eventId) {
        return at(userId, at) + '|' + eventId;
    }

    /** A trial of the user: {@code user|trialId}. */
    public static String trial(String userId, String trialId) {
        return userId + '|' + trialId;
    }

    /** A user's trial of a pair, in store "trial-pairs": {@code a|b|user|trialId}, a and b the pair's ids in order. */
    public static String trialOfPair(java.util.List<String> techniques, String userId, String trialId) {
        return pairPrefix(techniques) + userId + '|' + trialId;
    }

    /** Where a pair's rows in store "trial-pairs" begin: {@code a|b|}, a and b in order. */
    public static String pairPrefix(java.util.List<String> techniques) {
        String a = techniques.get(0);
        String b = techniques.get(1);
        return (a.compareTo(b) < 0 ? a + '|' + b : b + '|' + a) + '|';
    }

    /** The technique part of an arm's member keys that stands for every technique. */
    public static final String ANY_TECHNIQUE = "*";

    /**
     * A member of a study arm: {@code cohort|technique|user} ({@link #ANY_TECHNIQUE} for the arm over every
     * technique), so an arm's members are one range ({@link #armFrom}, {@link #armTo}).
     */
    public static String member(String cohort, String technique, String userId) {
        return armFrom(cohort, technique) + userId;
    }

    public static String armFrom(String cohort, String technique) {
        return cohort + '|' + (technique == null ? ANY_TECHNIQUE : technique) + '|';
    }

    public static String armTo(String cohort, String technique) {
        return armFrom(cohort, technique) + AggregateKey.END;
    }

    /** The user (pseudonym) of a {@link #member} key. */
    public static String memberOf(String memberKey) {
        return memberKey.substring(memberKey.lastIndexOf('|') + 1);
    }

    public static String contribution(String userId, String aggregateKey) {
        return userId + '|' + aggregateKey;
    }

    /** The aggregate key of a contribution key. */
    public static String aggregateOf(String contributionKey) {
        return contributionKey.substring(contributionKey.indexOf('|') + 1);
    }

    /** Lowest key of the user's rows. */
    public static String userFrom(String userId) {
        return userId + '|';
    }

    /** Above every key of the user's rows (and below the next user's). */
    public static String userTo(String userId) {
        return userId + '}';
    }

    /** Lowest timed key of the user at {@code t}. */
    public static String timeFrom(String userId, Instant t) {
        return at(userId, t);
    }

    /** Highest timed key of the user at {@code t}, inclusive. */
    public static String timeTo(String userId, Instant t) {
        return at(userId, t) + AggregateKey.END; // above every character of a time or an event id
    }

    private static String at(String userId, Instant t) {
        // Flipping the sign bit makes signed seconds sort as unsigned hex; nanos are 0..999,999,999.
        return userId + '|' + HEX.toHexDigits(t.getEpochSecond() ^ Long.MIN_VALUE) + HEX.toHexDigits(t.getNano());
    }
}
