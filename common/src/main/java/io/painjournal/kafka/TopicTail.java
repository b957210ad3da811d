package io.painjournal.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition of a topic from its start, on a thread of its own, until closed, and hands every record
 * to {@code apply} in order; Kafka errors are logged and retried every second. Knows when it has read every
 * record that was there when it started ({@link #awaitCaughtUp}). For the small topics every instance keeps
 * in memory: the users' data keys, the researchers' privacy budgets.
 */
public final class TopicTail<K, V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    private final org.apache.kafka.clients.consumer.Consumer<K, V> consumer;
    private final TopicPartition partition;
    private final Consumer<ConsumerRecord<K, V>> apply;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;

    /** @param consumer a consumer of its own (the tail closes it), not subscribed to anything */
    public TopicTail(
            org.apache.kafka.clients.consumer.Consumer<K, V> consumer,
            String topic,
            String threadName,
            Consumer<ConsumerRecord<K, V>> apply) {
        this.consumer = consumer;
        this.partition = new TopicPartition(topic, 0);
        this.apply = apply;
        this.thread = new Thread(this::read, threadName);
        this.thread.setDaemon(true);
    }

    public TopicTail<K, V> start() {
        thread.start();
        return this;
    }

    /** Waits until every record there at the start was applied; false if that did not happen in time. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = -1;
            while (!closed) {
                try {
                    if (end < 0) {
                        end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(5))
                                .get(partition);
                    }
                    for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(500))) {
                        apply.accept(record);
                    }
                    if (caughtUp.getCount() > 0 && consumer.position(partition) >= end) {
                        caughtUp.countDown();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    LOG.warn("reading {} failed ({}); trying again in 1 s", partition.topic(), e.getMessage());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the reader of {} stopped", partition.topic(), e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
