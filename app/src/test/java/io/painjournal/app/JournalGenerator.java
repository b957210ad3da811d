package io.painjournal.app;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** A seeded, made-up journal of many users, as events for the API and as facts for the {@link Oracle}. */
final class JournalGenerator {

    /** The currencies sessions are paid in: money is compared within a currency only. */
    static final String[] CURRENCIES = {"GBP", "EUR", "JPY"};

    static final String[] FAVOURITES = {
        "melt", "melt", "tennis-ball", "tennis-ball", "swedish", "partner", "bath-ball", "thai", "self-trigger-point"
    };

    final List<Oracle.S> sessions = new ArrayList<>();
    final List<Oracle.E> entries = new ArrayList<>();
    /** The JSON of every event, in the shape of POST /v1/events items. */
    final List<String> json = new ArrayList<>();

    JournalGenerator(int users, long seed, String prefix) {
        Random rnd = new Random(seed);
        Instant monday = Oracle.week(Instant.now())
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant()
                .minus(7, ChronoUnit.DAYS);
        for (int u = 0; u < users; u++) {
            String user = prefix + String.format("%03d", u);
            String cohort = u % 3 == 0 ? "arm-a" : u % 3 == 1 ? "arm-b" : null;
            String[] mine = {FAVOURITES[rnd.nextInt(FAVOURITES.length)], FAVOURITES[rnd.nextInt(FAVOURITES.length)]};
            int n = 4 + rnd.nextInt(7);
            for (int i = 0; i < n; i++) {
                Instant at = rnd.nextInt(15) == 0
                        ? monday.minus(200 + rnd.nextInt(40), ChronoUnit.DAYS).plusSeconds(rnd.nextInt(86400))
                        : monday.minus(7L * rnd.nextInt(6), ChronoUnit.DAYS).plusSeconds(rnd.nextInt(7 * 86400));
                int before = rnd.nextInt(11);
                int after = Math.max(0, Math.min(10, before - (rnd.nextInt(8) - 2)));
                int c = rnd.nextInt(3);
                Long cost = c == 0 ? null : c == 1 ? 0L : 500L + rnd.nextInt(5500);
                String currency = cost == null ? null : CURRENCIES[(u + i) % CURRENCIES.length];
                Oracle.S s = new Oracle.S(
                        UUID.randomUUID().toString(),
                        user,
                        mine[rnd.nextInt(2)],
                        at,
                        5 + rnd.nextInt(56),
                        before,
                        after,
                        cost,
                        currency,
                        cohort);
                sessions.add(s);
                json.add("{\"type\":\"session\",\"eventId\":\"" + s.eventId() + "\",\"userId\":\"" + user
                        + "\",\"technique\":\"" + s.technique() + "\",\"startedAt\":\"" + s.at()
                        + "\",\"durationMinutes\":" + s.minutes() + ",\"painBefore\":" + before + ",\"painAfter\":"
                        + after + (cost == null ? "" : ",\"costCents\":" + cost + ",\"currency\":\"" + currency + "\"")
                        + (cohort == null ? "" : ",\"cohort\":\"" + cohort + "\"") + "}");
                if (rnd.nextInt(3) == 0) { // a follow-up entry the next day
                    entry(rnd, user, at.plusSeconds(12 * 3600 + 1 + rnd.nextInt(24 * 3600)));
                }
            }
            for (int i = 0; i < 2 + rnd.nextInt(4); i++) {
                entry(
                        rnd,
                        user,
                        monday.minus(7L * rnd.nextInt(6), ChronoUnit.DAYS).plusSeconds(rnd.nextInt(7 * 86400)));
            }
        }
    }

    private void entry(Random rnd, String user, Instant at) {
        Integer sleep = rnd.nextBoolean() ? rnd.nextInt(11) : null;
        Integer stress = rnd.nextBoolean() ? rnd.nextInt(11) : null;
        Integer mood = rnd.nextInt(4) == 0 ? rnd.nextInt(11) : null;
        Integer anxiety = rnd.nextInt(4) == 0 ? rnd.nextInt(11) : null;
        Boolean headache = rnd.nextInt(3) == 0 ? null : rnd.nextBoolean();
        Oracle.E e = new Oracle.E(
                UUID.randomUUID().toString(), user, at, rnd.nextInt(11), sleep, stress, mood, anxiety, headache);
        entries.add(e);
        StringBuilder j = new StringBuilder("{\"type\":\"pain-score\",\"eventId\":\"" + e.eventId() + "\",\"userId\":\""
                + user + "\",\"recordedAt\":\"" + at + "\",\"pain\":" + e.pain());
        if (sleep != null) {
            j.append(",\"sleepQuality\":").append(sleep);
        }
        if (stress != null) {
            j.append(",\"stress\":").append(stress);
        }
        if (mood != null) {
            j.append(",\"mood\":").append(mood);
        }
        if (anxiety != null) {
            j.append(",\"anxiety\":").append(anxiety);
        }
        if (headache != null) {
            j.append(",\"headache\":").append(headache);
        }
        json.add(j.append('}').toString());
    }
}
