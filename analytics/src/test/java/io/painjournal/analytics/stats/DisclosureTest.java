package io.painjournal.analytics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.stats.Disclosure.Cell;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Primary and complementary suppression, on worked examples and against an attacker who subtracts. */
class DisclosureTest {

    private static final int K = 5;

    @Test
    void nothingSmallNothingHidden() {
        assertEquals(Set.of(), Disclosure.suppressParts(20, List.of(new Cell("a", 10, 30), new Cell("b", 10, 12)), K));
    }

    @Test
    void aLoneSmallPartTakesTheNextSmallestWithIt() {
        // a week of 17 users: rows of 2, 5, 10 users; the 2 alone would be week − 5 − 10
        Set<String> hidden = Disclosure.suppressParts(
                17, List.of(new Cell("c10", 10, 40), new Cell("c2", 2, 3), new Cell("c5", 5, 9)), K);
        assertEquals(Set.of("c2", "c5"), hidden, "the smallest shown part goes with it: 2 + 5 ≥ 5");
    }

    @Test
    void twoSmallPartsTogetherUnderKTakeAThird() {
        Set<String> hidden = Disclosure.suppressParts(
                16, List.of(new Cell("a", 1, 1), new Cell("b", 2, 2), new Cell("c", 6, 10), new Cell("d", 7, 3)), K);
        assertEquals(Set.of("a", "b", "c"), hidden, "1 + 2 < 5: the next smallest (6 users) joins them");
    }

    @Test
    void overlappingPeopleAreNotCountedTwice() {
        // 4 people in all, each in both parts: the parts' users add up to 6, but the bound says 4
        assertEquals(
                Set.of("a", "b"), Disclosure.suppressParts(4, List.of(new Cell("a", 3, 3), new Cell("b", 3, 3)), K));
        assertTrue(!Disclosure.safe(4, List.of(new Cell("a", 3, 3), new Cell("b", 3, 3)), Set.of("a", "b"), K));
        // with a third, large part shown, the hidden two are bounded by 12 − 9 = 3 < 5: the third goes too
        Set<String> hidden = Disclosure.suppressParts(
                12, List.of(new Cell("a", 3, 3), new Cell("b", 3, 3), new Cell("big", 9, 20)), K);
        assertEquals(Set.of("a", "b", "big"), hidden);
    }

    @Test
    void theHierarchySuppressesWeeksWithinItemsAndRowsWithinWeeks() {
        Map<String, Cell> items = Map.of("melt", new Cell("T|melt", 12, 50));
        Map<String, List<Cell>> weeks = Map.of(
                "melt", List.of(new Cell("W|melt|1", 3, 5), new Cell("W|melt|2", 9, 30), new Cell("W|melt|3", 6, 15)));
        Map<String, List<Cell>> rows =
                Map.of("W|melt|2", List.of(new Cell("R|melt|a|2", 7, 25), new Cell("R|melt|b|2", 2, 5)));
        Set<String> hidden = Disclosure.suppressed(items, weeks, rows, K);
        assertEquals(Set.of("W|melt|1", "W|melt|3", "R|melt|a|2", "R|melt|b|2"), hidden);
    }

    /**
     * Seeded random journals: people with sessions in (technique, cohort, week) cells, many of them small,
     * some people in two cohorts. The attacker takes every total (an item, a week) minus its shown parts;
     * what is left must be two or more parts covering at least k distinct people, counted from the journal.
     */
    @Test
    void noSubtractionSinglesOutASmallGroup() {
        int attacks = 0;
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed * 7919L + 1);
            int people = 5 + random.nextInt(60);
            Map<String, Set<Integer>> cellPeople = new TreeMap<>();
            Map<String, Long> cellSessions = new HashMap<>();
            for (int person = 0; person < people; person++) {
                int sessions = 1 + random.nextInt(6);
                String cohort = "c" + random.nextInt(1 + random.nextInt(5));
                for (int s = 0; s < sessions; s++) {
                    String technique = "t" + random.nextInt(3);
                    int week = random.nextInt(1 + random.nextInt(8));
                    if (random.nextInt(10) == 0) {
                        cohort = "c" + random.nextInt(5); // some change cohorts
                    }
                    String key = technique + "|" + cohort + "|" + week;
                    cellPeople.computeIfAbsent(key, x -> new HashSet<>()).add(person);
                    cellSessions.merge(key, 1L, Long::sum);
                }
            }
            // the aggregates as the stream keeps them: distinct users per key
            Map<String, Set<Integer>> itemPeople = new TreeMap<>();
            Map<String, Set<Integer>> weekPeople = new TreeMap<>();
            Map<String, Long> weekSessions = new HashMap<>();
            Map<String, List<String>> weekRows = new TreeMap<>();
            Map<String, List<String>> itemWeeks = new TreeMap<>();
            cellPeople.forEach((key, who) -> {
                String[] p = key.split("\\|");
                String week = p[0] + "|" + p[2];
                itemPeople.computeIfAbsent(p[0], x -> new HashSet<>()).addAll(who);
                weekPeople.computeIfAbsent(week, x -> new HashSet<>()).addAll(who);
                weekSessions.merge(week, cellSessions.get(key), Long::sum);
                weekRows.computeIfAbsent(week, x -> new ArrayList<>()).add(key);
                List<String> ws = itemWeeks.computeIfAbsent(p[0], x -> new ArrayList<>());
                if (!ws.contains(week)) {
                    ws.add(week);
                }
            });
            Map<String, Cell> items = new HashMap<>();
            itemPeople.forEach((t, who) -> items.put(t, new Cell(t, who.size(), 0)));
            Map<String, List<Cell>> weeks = new HashMap<>();
            itemWeeks.forEach((t, ws) -> weeks.put(
                    t,
                    ws.stream()
                            .map(w -> new Cell(w, weekPeople.get(w).size(), weekSessions.get(w)))
                            .toList()));
            Map<String, List<Cell>> rows = new HashMap<>();
            weekRows.forEach((w, rs) -> rows.put(
                    w,
                    rs.stream()
                            .map(r -> new Cell(r, cellPeople.get(r).size(), cellSessions.get(r)))
                            .toList()));

            Set<String> hidden = Disclosure.suppressed(items, weeks, rows, K);

            for (String t : items.keySet()) {
                attacks += attack(t, itemWeeks.get(t), hidden, weekPeople, seed);
                for (String w : itemWeeks.get(t)) {
                    attacks += attack(w, weekRows.get(w), hidden, cellPeople, seed);
                }
            }
            for (String r : cellPeople.keySet()) {
                if (cellPeople.get(r).size() < K) {
                    assertTrue(hidden.contains(r), "primary: " + r);
                }
            }
        }
        assertTrue(attacks > 500, "the attacker had suppressed parts to go after: " + attacks);
    }

    /** Total minus its shown parts; returns 1 when there was something hidden to attack. */
    private static int attack(
            String total, List<String> parts, Set<String> hidden, Map<String, Set<Integer>> people, int seed) {
        List<String> left = parts.stream().filter(hidden::contains).toList();
        if (left.isEmpty() || left.size() == parts.size()) {
            return left.isEmpty() ? 0 : 1; // nothing shown to subtract: the total is the whole (or hidden itself)
        }
        Set<Integer> who = new HashSet<>();
        left.forEach(p -> who.addAll(people.get(p)));
        assertTrue(left.size() >= 2, "seed " + seed + ": " + total + " − shown parts = the single " + left);
        assertTrue(
                who.size() >= K,
                "seed " + seed + ": " + total + " − shown parts = " + left + ", only " + who.size() + " people");
        return 1;
    }
}
