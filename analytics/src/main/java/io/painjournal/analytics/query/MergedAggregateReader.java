package io.painjournal.analytics.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several readers (this instance's stores, other instances over HTTP) as one: each returns its page
 * in key order, the first {@code limit} keys of the union are the merged page. Memory is bounded by
 * readers × limit; keys are disjoint since every aggregate lives on exactly one partition.
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
        List<Row> all = new ArrayList<>();
        for (AggregateReader reader : readers) {
            all.addAll(reader.page(from, to, after, limit));
        }
        all.sort(Comparator.comparing(Row::key));
        return all.size() <= limit ? all : new ArrayList<>(all.subList(0, limit));
    }
}
