package io.painjournal.events;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants of the journal topic. {@link Instant#toString()} wrote them, so nearly all are
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}; those are read directly, a few times faster than
 * {@link Instant#parse} (which the stream thread spent a tenth of its time in). Anything else goes to
 * {@link Instant#parse}, so the accepted forms and the errors are exactly {@link Instant#parse}'s.
 */
public final class Instants {

    private static final int[] SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private Instants() {}

    public static Instant parse(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z') {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fractionDigits = n - 21;
            if (s.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return Instant.parse(s);
            }
            int fraction = digits(s, 20, n - 1);
            nanos = fraction < 0 ? -1 : fraction * SCALE[fractionDigits - 1];
        }
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || nanos < 0) {
            return Instant.parse(s);
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Instant.parse(s);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in s[from, to), or -1 if a character is not an ASCII digit. */
    public static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
