package io.painjournal.analytics.query;

import io.painjournal.analytics.stats.Stats;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Several readers (this instance's stores, other instances over HTTP) as one: each returns its page of
 * its share of the aggregates in key order; the shares of a key are added up and the first {@code limit}
 * keys of the union are the merged page. That is exact: a reader's row for one of those keys is among
 * its own first {@code limit} keys, since it has no more keys before it than the union has. Memory is
 * bounded by readers × limit. The readers are asked in parallel.
 */
public final class MergedAggregateReader implements AggregateReader {

    private final List<AggregateReader> readers;

    public MergedAggregateReader(List<AggregateReader> readers) {
        this.readers = List.copyOf(readers);
    }

    @Override
    public Future<List<Row>> page(String from, String to, String after, int limit) {
        if (readers.size() == 1) {
            return readers.get(0).page(from, to, after, limit);
        }
        List<Future<List<Row>>> pages = new ArrayList<>(readers.size());
        readers.forEach(reader -> pages.add(reader.page(from, to, after, limit)));
        return Future.all(pages).map(all -> merge(pages, limit));
    }

    private static List<Row> merge(List<Future<List<Row>>> pages, int limit) {
        TreeMap<String, Stats> sums = new TreeMap<>();
        for (Future<List<Row>> page : pages) {
            for (Row row : page.result()) {
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
