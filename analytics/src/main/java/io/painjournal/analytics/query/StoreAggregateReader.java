package io.painjournal.analytics.query;

import io.painjournal.analytics.stats.Stats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads pages of the aggregates (as {@link AggregateReader} defines them) from local stores, one per partition, each holding its partition's share
 * of the aggregates: each partition's range is sorted, they are merged lazily and the shares of a key
 * are added up, so a page costs O(partitions + limit) memory whatever the table's size. Reads block:
 * callers run them on a worker thread.
 */
public final class StoreAggregateReader {

    private final List<ReadOnlyKeyValueStore<String, Stats>> partitions;

    public StoreAggregateReader(List<ReadOnlyKeyValueStore<String, Stats>> partitions) {
        this.partitions = partitions;
    }

    public List<AggregateReader.Row> read(String from, String to, String after, int limit) {
        String start = after == null ? from : after + "\0";
        List<KeyValueIterator<String, Stats>> open = new ArrayList<>();
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head h) -> h.current.key));
            for (ReadOnlyKeyValueStore<String, Stats> store : partitions) {
                KeyValueIterator<String, Stats> it = store.range(start, to);
                open.add(it);
                if (it.hasNext()) {
                    heads.add(new Head(it, it.next()));
                }
            }
            List<AggregateReader.Row> rows = new ArrayList<>(Math.min(limit, 1024));
            while (rows.size() < limit && !heads.isEmpty()) {
                String key = heads.peek().current.key;
                Stats sum = null;
                while (!heads.isEmpty() && heads.peek().current.key.equals(key)) {
                    Head head = heads.poll();
                    if (head.current.value != null) {
                        sum = sum == null ? head.current.value : sum.plus(head.current.value);
                    }
                    if (head.iterator.hasNext()) {
                        heads.add(new Head(head.iterator, head.iterator.next()));
                    }
                }
                if (sum != null) {
                    rows.add(new AggregateReader.Row(key, sum));
                }
            }
            return rows;
        } finally {
            open.forEach(KeyValueIterator::close);
        }
    }

    private record Head(KeyValueIterator<String, Stats> iterator, KeyValue<String, Stats> current) {}
}
