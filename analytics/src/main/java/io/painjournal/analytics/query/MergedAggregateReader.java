package io.painjournal.analytics.query;

import java.util.ArrayList;
import io.painjournal.analytics.stats.Stats;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;

/**
 * Several readers (this instance's stores, other instances over HTTP) as one: each returns its page of
 * its share of the aggregates in key order; the shares of a key are added up and the first {@code limit}
 * keys of the union are the merged page. That is exact: a reader's row for one of those keys is among
 * its own first {@code limit} keys, since it has no more keys before it than the union has. Memory is
 * bounded by readers × limit.
 */
public final class MergedAggregateReader implements AggregateReader {

    private final List<AggregateReader> readers;

    public MergedAggregateReader(List<AggregateReader> readers) {
        this.readers = List.copyOf(readers);
    }

    @Override
    public List<Row> page(String from, String to, String after, int limit) {
        if (readers.size() == 1) {
            return readers.get(0).page(from, to, after, limit);
        }
        TreeMap<String, Stats> sums = new TreeMap<>();
        for (AggregateReader reader : readers) {
            for (Row row : reader.page(from, to, after, limit)) {
                sums.merge(row.key(), row.stats(), Stats::plus);
            }
        }
        List<Row> rows = new ArrayList<>(Math.min(limit, sums.size()));
        for (Map.Entry<String, Stats> e : sums.entrySet()) {
            if (rows.size() == limit) {
                break;
            }
            rows.add(new Row(e.getKey(), e.getValue()));
        }
        return rows;
    }
}
