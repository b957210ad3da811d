package io.painjournal.analytics.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Disclosure control of figures drawn from other people's data (API.md, "Small groups, everywhere"), as
 * pure functions of the published cells' distinct users:
 * <ol>
 *   <li><b>primary</b>: a cell of fewer than k users is suppressed;</li>
 *   <li><b>complementary</b>: within each total (a technique's item over its weeks; a week over its research
 *       rows) the suppressed parts are none, or at least two whose distinct users are surely at least k;
 *       further parts are suppressed, smallest first, until that holds. Subtracting the shown parts from the
 *       total then yields only the sum of two or more parts covering at least k people.</li>
 * </ol>
 * The distinct users of a set of parts are not kept (a person may be in two cohorts of a week, or in many
 * weeks); what is used is a lower bound that is exact when each person is in one part:
 * {@code max(largest part's users, total's users − users of every shown part)}.
 */
public final class Disclosure {

    private Disclosure() {}

    /** A part of a total: its key, its distinct users and its sessions (the order of "smallest"). */
    public record Cell(String key, long users, long sessions) {}

    /**
     * The keys of the parts of one total to suppress.
     *
     * @param totalUsers distinct users of the total (of every part together)
     */
    public static Set<String> suppressParts(long totalUsers, List<Cell> parts, int k) {
        Set<String> hidden = new HashSet<>();
        for (Cell p : parts) {
            if (p.users() < k) {
                hidden.add(p.key());
            }
        }
        List<Cell> bySize = new ArrayList<>(parts);
        bySize.sort(Comparator.comparingLong(Cell::users)
                .thenComparingLong(Cell::sessions)
                .thenComparing(Cell::key));
        while (!hidden.isEmpty() && hidden.size() < parts.size() && !safe(totalUsers, parts, hidden, k)) {
            for (Cell p : bySize) {
                if (hidden.add(p.key())) {
                    break; // the smallest part still shown
                }
            }
        }
        return hidden;
    }

    /** Two or more hidden parts whose distinct users are surely at least k. */
    static boolean safe(long totalUsers, List<Cell> parts, Set<String> hidden, int k) {
        if (hidden.size() < 2) {
            return false;
        }
        long largest = 0;
        long shownUsers = 0;
        for (Cell p : parts) {
            if (hidden.contains(p.key())) {
                largest = Math.max(largest, p.users());
            } else {
                shownUsers += p.users();
            }
        }
        return Math.max(largest, totalUsers - shownUsers) >= k;
    }

    /**
     * Every suppressed key of a two-level hierarchy: the technique items (primary only: they are parts of no
     * published total), their weeks within each item, and the research rows within each week.
     *
     * @param items   technique → its item's cell
     * @param weeks   technique → its weeks' cells
     * @param rows    week key → that week's research rows' cells
     */
    public static Set<String> suppressed(
            Map<String, Cell> items, Map<String, List<Cell>> weeks, Map<String, List<Cell>> rows, int k) {
        Set<String> hidden = new HashSet<>();
        items.forEach((technique, item) -> {
            if (item.users() < k) {
                hidden.add(item.key());
            }
            List<Cell> itsWeeks = weeks.getOrDefault(technique, List.of());
            hidden.addAll(suppressParts(item.users(), itsWeeks, k));
            for (Cell week : itsWeeks) {
                hidden.addAll(suppressParts(week.users(), rows.getOrDefault(week.key(), List.of()), k));
            }
        });
        return hidden;
    }
}
