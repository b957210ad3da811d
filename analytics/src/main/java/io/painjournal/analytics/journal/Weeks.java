package io.painjournal.analytics.journal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** ISO weeks in UTC: a week starts Monday 00:00 UTC and is named by that Monday's date. */
public final class Weeks {

    private Weeks() {}

    public static LocalDate weekStart(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    public static LocalDate weekStart(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }
}
