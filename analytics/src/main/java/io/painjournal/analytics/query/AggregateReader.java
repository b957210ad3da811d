package io.painjournal.analytics.query;

import io.painjournal.analytics.stats.Stats;
import io.vertx.core.Future;
import java.util.List;

/**
 * Reads the aggregates table, wherever its partitions live. Rows come in key order; a page holds at
 * most {@code limit} rows with keys in ({@code after}, {@code to}], or [{@code from}, {@code to}]
 * when {@code after} is null. A row whose statistics all went back to zero (after a deletion) may be missing;
 * fewer than {@code limit} rows means the range is exhausted. A page is a future: it may come from a peer
 * over HTTP, or from local stores on a worker thread.
 */
public interface AggregateReader {

    record Row(String key, Stats stats) {}

    Future<List<Row>> page(String from, String to, String after, int limit);
}
