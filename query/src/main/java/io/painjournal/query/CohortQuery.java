package io.painjournal.query;

/**
 * The question of {@code GET /v1/research/cohorts}: arms {@code a} and {@code b} (cohort tags), optionally
 * one technique (null: any), each user's window of {@code days} (7 to 84, a multiple of 7) from their
 * first such session, and {@code minUsers}, the effective k (max of the server's and the request's).
 */
public record CohortQuery(String a, String b, String technique, int days, int minUsers) {

    public static final int DEFAULT_DAYS = 28;
    public static final int MIN_DAYS = 7;
    public static final int MAX_DAYS = 84;

    public CohortQuery {
        if (days < MIN_DAYS || days > MAX_DAYS || days % 7 != 0) {
            throw new IllegalArgumentException("days must be a multiple of 7 from 7 to 84");
        }
    }
}
