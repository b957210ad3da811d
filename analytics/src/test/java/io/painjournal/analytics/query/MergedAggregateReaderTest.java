package io.painjournal.analytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.painjournal.analytics.stats.Stats;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Shares of the same aggregates on several partitions add up, page by page, without losing a share. */
class MergedAggregateReaderTest {

    /** A reader over a sorted map, paged as the real ones are. */
    private static AggregateReader reader(TreeMap<String, Stats> rows) {
        return (from, to, after, limit) -> {
            List<AggregateReader.Row> page = new ArrayList<>();
            for (var e : (after == null ? rows.subMap(from, true, to, true) : rows.subMap(after, false, to, true))
                    .entrySet()) {
                if (page.size() == limit) {
                    break;
                }
                page.add(new AggregateReader.Row(e.getKey(), e.getValue()));
            }
            return Future.succeededFuture(page);
        };
    }

    private static Stats users(long n) {
        return Stats.ZERO.withUsers(n);
    }

    @Test
    void pagesAddEveryPartitionsShareOfEachKey() {
        TreeMap<String, Stats> a = new TreeMap<>();
        TreeMap<String, Stats> b = new TreeMap<>();
        TreeMap<String, Stats> expected = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String key = String.format("R|k%02d", i);
            if (i % 2 == 0) {
                a.put(key, users(1));
            }
            if (i % 3 == 0) {
                b.put(key, users(10));
            }
            long total = (i % 2 == 0 ? 1 : 0) + (i % 3 == 0 ? 10 : 0);
            if (total > 0) {
                expected.put(key, users(total));
            }
        }
        AggregateReader merged = new MergedAggregateReader(List.of(reader(a), reader(b)));
        TreeMap<String, Stats> seen = new TreeMap<>();
        String after = null;
        int pages = 0;
        while (true) {
            List<AggregateReader.Row> page = merged.page("R|", "R|~", after, 4).await();
            page.forEach(r -> assertEquals(null, seen.put(r.key(), r.stats()), "a key is on one page only"));
            pages++;
            if (page.size() < 4) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        assertEquals(expected, seen);
        assertEquals(expected.size() / 4 + 1, pages);
    }
}
