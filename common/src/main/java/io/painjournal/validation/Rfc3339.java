package io.painjournal.validation;

import io.painjournal.events.Instants;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * RFC 3339 section 5.6 {@code full-date} and {@code date-time} (seconds and offset required, {@code T} and
 * {@code Z} in either case, 1 to 9 fraction digits), read without exceptions: a valid text reads as its date
 * or instant, anything else as null. {@code Rfc3339Test} holds both to {@link LocalDate#parse} and
 * {@link java.time.OffsetDateTime#parse} behind the grammar's pattern.
 */
final class Rfc3339 {

    private static final int[] SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private Rfc3339() {}

    /** {@code yyyy-mm-dd}, a day that exists, or null. */
    static LocalDate date(String s) {
        return s.length() == 10 ? dateAt(s) : null;
    }

    /** {@code yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm)}, a time that exists, as an instant, or null. */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || (s.charAt(10) != 'T' && s.charAt(10) != 't')) {
            return null;
        }
        LocalDate date = dateAt(s);
        int hour = Instants.digits(s, 11, 13);
        int minute = Instants.digits(s, 14, 16);
        int second = Instants.digits(s, 17, 19);
        if (date == null
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int from = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i - from < 1 || i - from > 9) {
                return null;
            }
            nanos = Instants.digits(s, from, i) * SCALE[i - from - 1];
        }
        int offset = offsetSeconds(s, i);
        if (offset == Integer.MIN_VALUE) {
            return null;
        }
        long seconds = date.toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second - offset;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The date at the start of {@code s}, or null. */
    private static LocalDate dateAt(String s) {
        int year = Instants.digits(s, 0, 4);
        int month = Instants.digits(s, 5, 7);
        int day = Instants.digits(s, 8, 10);
        if (year < 0 || s.charAt(4) != '-' || s.charAt(7) != '-' || month < 1 || month > 12 || day < 1) {
            return null;
        }
        if (day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        return LocalDate.of(year, month, day);
    }

    /** The offset that ends {@code s} at {@code i} ({@code Z} or {@code ±hh:mm}, at most 18 hours), or MIN_VALUE. */
    private static int offsetSeconds(String s, int i) {
        int n = s.length();
        if (i >= n) {
            return Integer.MIN_VALUE;
        }
        char c = s.charAt(i);
        if (i == n - 1 && (c == 'Z' || c == 'z')) {
            return 0;
        }
        if (i != n - 6 || (c != '+' && c != '-') || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        int hours = Instants.digits(s, i + 1, i + 3);
        int minutes = Instants.digits(s, i + 4, i + 6);
        if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
            return Integer.MIN_VALUE;
        }
        return (c == '-' ? -1 : 1) * (hours * 3_600 + minutes * 60);
    }
}
