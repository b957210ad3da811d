package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The written-out RFC 3339 reader accepts exactly what the grammar's pattern and {@code java.time}'s
 * strict parsers accept together, and reads the same instant: valid texts, near misses of every kind
 * and random strings.
 */
class Rfc3339Test {

    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final String ALPHABET = "0123456789-:.+TtZz ,/\u0660";

    private static Instant expectedInstant(String s) {
        if (!DATE_TIME.matcher(s).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDate expectedDate(String s) {
        if (!DATE.matcher(s).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String randomTime(SplittableRandom r) {
        String fraction = r.nextInt(3) == 0 ? "" : "." + "123456789012".substring(0, 1 + r.nextInt(10));
        String offset = switch (r.nextInt(4)) {
            case 0 -> r.nextBoolean() ? "Z" : "z";
            default -> String.format("%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(20), r.nextInt(62));
        };
        return String.format(
                "%04d-%02d-%02d%s%02d:%02d:%02d%s%s",
                r.nextInt(10_000),
                r.nextInt(14),
                r.nextInt(33),
                r.nextInt(5) == 0 ? "t" : "T",
                r.nextInt(26),
                r.nextInt(62),
                r.nextInt(62),
                fraction,
                offset);
    }

    private static String mutate(String s, SplittableRandom r) {
        StringBuilder b = new StringBuilder(s);
        switch (r.nextInt(3)) {
            case 0 -> b.setCharAt(r.nextInt(b.length()), ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            case 1 -> b.insert(r.nextInt(b.length() + 1), ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            default -> b.deleteCharAt(r.nextInt(b.length()));
        }
        return b.toString();
    }

    @Test
    void dateTimesAreReadAsJavaTimeReadsThem() {
        SplittableRandom r = new SplittableRandom(3);
        int accepted = 0;
        for (int i = 0; i < 300_000; i++) {
            String s = i % 3 == 0 ? mutate(randomTime(r), r) : randomTime(r);
            Instant expected = expectedInstant(s);
            assertEquals(expected, Rfc3339.instant(s), s);
            accepted += expected != null ? 1 : 0;
        }
        assertEquals(true, accepted > 30_000 && accepted < 270_000, "accepted " + accepted);
        for (String s : List.of(
                "2026-11-20T18:30:00Z",
                "2024-02-29T23:59:59.999999999+18:00",
                "0000-01-01T00:00:00-18:00",
                "2026-11-20T18:30:00-00:00",
                "2026-11-20T18:30:00+18:01",
                "2026-11-20T18:30:60Z",
                "2026-11-20T18:30:00.Z",
                "2026-11-20T18:30:00.1234567890Z",
                "2026-11-20T18:30:00",
                "2026-11-20T18:30:00.5",
                "2026-11-20T18:30:00+0100",
                "2026-11-20T18:30:00Z ",
                "")) {
            assertEquals(expectedInstant(s), Rfc3339.instant(s), s);
        }
    }

    @Test
    void datesAreReadAsJavaTimeReadsThem() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            String s = String.format("%04d-%02d-%02d", r.nextInt(10_000), r.nextInt(14), r.nextInt(33));
            if (i % 2 == 0) {
                s = mutate(s, r);
            }
            assertEquals(expectedDate(s), Rfc3339.date(s), s);
        }
        assertEquals(LocalDate.of(2024, 2, 29), Rfc3339.date("2024-02-29"));
        assertEquals(null, Rfc3339.date("2026-02-29"));
    }
}
