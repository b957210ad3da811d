package io.painjournal.analytics.privacy;

import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.catalogue.Catalogue;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The research rows' sums with every user's contribution bounded, the input of the {@code privacy=dp} export: a
 * user counts in at most {@code maxCells} cells (technique, cohort, week) of the request, chosen at random among
 * theirs, and with at most {@code maxSessions} sessions in each (a user's sums in a cell with more sessions are
 * scaled down to that many). Read from the per-user contributions, which hold each user's sums per cell.
 */
public final class BoundedResearch {

    /** Indices of a cell's sums. */
    public static final int USERS = 0,
            SESSIONS = 1,
            PAIN_BEFORE = 2,
            REDUCTION = 3,
            SQUARES = 4,
            PAINFUL = 5,
            RESPONDERS = 6,
            SIZE = 7;

    private BoundedResearch() {}

    /**
     * The cells asked for: one cohort, one technique or all, the weeks from {@code fromWeek} to {@code toWeek}
     * (Mondays, inclusive); and the bounds of one user's contribution.
     */
    public record Query(
            String technique, String cohort, LocalDate fromWeek, LocalDate toWeek, int maxCells, int maxSessions) {

        /**
         * Every research key of the request, whether anyone is in it or not (the rows of the answer: which
         * exist reveals nothing), in the export's key order.
         */
        public List<String> grid() {
            List<String> techniques = new ArrayList<>();
            if (technique != null) {
                techniques.add(technique);
            } else {
                Catalogue.TECHNIQUES.forEach(t -> techniques.add(t.id()));
            }
            List<String> keys = new ArrayList<>();
            for (String t : techniques) {
                for (LocalDate w = fromWeek; !w.isAfter(toWeek); w = w.plusWeeks(1)) {
                    keys.add(AggregateKey.research(t, cohort, w));
                }
            }
            keys.sort(null);
            return keys;
        }

        boolean wants(AggregateKey.Research key) {
            return key.cohort().equals(cohort)
                    && (technique == null || technique.equals(key.technique()))
                    && !key.weekStart().isBefore(fromWeek)
                    && !key.weekStart().isAfter(toWeek);
        }
    }

    /** This partition's bounded sums by research key (cells nobody is in are absent). */
    public static Map<String, double[]> sums(
            ReadOnlyKeyValueStore<String, Stats> contributions, Query q, Random random) {
        Map<String, double[]> sums = new HashMap<>();
        String user = null;
        List<Map.Entry<String, Stats>> cells = new ArrayList<>();
        try (KeyValueIterator<String, Stats> it = contributions.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                int bar = kv.key.indexOf('|');
                String owner = kv.key.substring(0, Math.max(bar, 0));
                if (!owner.equals(user)) {
                    addUser(cells, q, random, sums);
                    user = owner;
                }
                String aggregate = JournalKeys.aggregateOf(kv.key);
                if (aggregate.startsWith(AggregateKey.RESEARCH)
                        && !kv.value.isEmpty()
                        && q.wants(AggregateKey.Research.parse(aggregate))) {
                    cells.add(Map.entry(aggregate, kv.value));
                }
            }
        }
        addUser(cells, q, random, sums);
        return sums;
    }

    /** Adds one user's cells (at most maxCells of them, at random), each scaled to at most maxSessions sessions. */
    private static void addUser(
            List<Map.Entry<String, Stats>> cells, Query q, Random random, Map<String, double[]> sums) {
        // a partial Fisher–Yates shuffle: the first maxCells are a uniform sample
        int keep = Math.min(cells.size(), q.maxCells());
        for (int i = 0; i < keep; i++) {
            int j = i + random.nextInt(cells.size() - i);
            var chosen = cells.get(j);
            cells.set(j, cells.get(i));
            cells.set(i, chosen);
            add(sums.computeIfAbsent(chosen.getKey(), k -> new double[SIZE]), chosen.getValue(), q.maxSessions());
        }
        cells.clear();
    }

    static void add(double[] into, Stats s, int maxSessions) {
        double f = s.sessions() > maxSessions ? (double) maxSessions / s.sessions() : 1;
        into[USERS] += 1;
        into[SESSIONS] += f * s.sessions();
        into[PAIN_BEFORE] += f * s.sumPainBefore();
        into[REDUCTION] += f * s.sumReduction();
        into[SQUARES] += f * s.sumSquares();
        into[PAINFUL] += f * s.painfulSessions();
        into[RESPONDERS] += f * s.responders();
    }

    /** The partitions' sums added up. */
    public static Map<String, double[]> merge(List<Map<String, double[]>> shares) {
        Map<String, double[]> sums = new HashMap<>();
        for (Map<String, double[]> share : shares) {
            share.forEach((key, v) -> {
                double[] into = sums.computeIfAbsent(key, k -> new double[SIZE]);
                for (int i = 0; i < SIZE; i++) {
                    into[i] += v[i];
                }
            });
        }
        return sums;
    }
}
