package io.painjournal.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records acknowledged keys in the {@link EventLedger} on a thread of its own, off the answer's path: a client
 * is answered as soon as Kafka has its events, and their keys reach the ledger a moment later, the keys of
 * every request that arrived meanwhile in one write (group commit). Until a key is written its claim in
 * {@link IngestService} stays held, so a re-post in that moment waits for it and is a duplicate.
 */
final class LedgerWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
    /** Most keys in one write. */
    private static final int MOST_KEYS = 8192;

    private record Pending(List<String> keys, Runnable then) {}

    private final EventLedger ledger;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    LedgerWriter(EventLedger ledger) {
        this.ledger = ledger;
        this.thread = new Thread(this::run, "ingest-ledger-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Writes the keys soon; then runs {@code then} (on this writer's thread, also when the write failed: Kafka
     * has the events, and only the duplicate answer of a later re-post is at risk).
     */
    void write(List<String> keys, Runnable then) {
        queue.add(new Pending(keys, then));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.add(first);
            keys.addAll(first.keys());
            Pending next;
            while (keys.size() < MOST_KEYS && (next = queue.poll()) != null) {
                batch.add(next);
                keys.addAll(next.keys());
            }
            try {
                ledger.remember(keys);
            } catch (RuntimeException e) {
                LOG.error("ingest ledger could not record {} acknowledged events", keys.size(), e);
            }
            for (Pending p : batch) {
                try {
                    p.then().run();
                } catch (RuntimeException e) {
                    LOG.error("after a ledger write", e);
                }
            }
            batch.clear();
            keys.clear();
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
