package io.painjournal.query;

import java.time.LocalDate;

/**
 * The filters of the research export. {@code technique} and {@code cohort} are exact matches (null:
 * any); a row is in range when its weekStart lies in [weekStart(from), to] (null bounds are open).
 * {@code minUsers} is already the effective k: max(server setting, request).
 */
public record ResearchFilter(LocalDate from, LocalDate to, String technique, String cohort, int minUsers) {}
