package io.painjournal.analytics.query;

import io.painjournal.analytics.stats.Stats;
import java.util.List;

/**
 * Reads the aggregates table, wherever its partitions live. Rows come in key order; a page holds at
 * most {@code limit} rows with keys in ({@code after}, {@code to}], or [{@code from}, {@code to}]
 * when {@code after} is null. A row whose statistics all went back to zero (after a deletion) may be missing;
 * fewer than {@code limit} rows means the range is exhausted.
 */
public interface AggregateReader {

    record Row(String key, Stats stats) {
    }

    List<Row> page(String from, String to, String after, int limit);
}
