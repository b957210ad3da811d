package io.painjournal.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a topic from its start, on a thread of its own, until closed, and hands every record
 * to {@code apply} in each partition's order; Kafka errors are logged and retried every second. Knows when it has read every
 * record that was there when it started ({@link #awaitCaughtUp}). For the small topics every instance keeps
 * in memory: the users' data keys, the researchers' privacy budgets.
 */
public final class TopicTail<K, V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    private final org.apache.kafka.clients.consumer.Consumer<K, V> consumer;
    private final String topic;
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
        this.topic = topic;
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
            List<TopicPartition> partitions = List.of();
            Map<TopicPartition, Long> end = null;
            while (!closed) {
                try {
                    if (end == null) {
                        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                                .map(p -> new TopicPartition(topic, p.partition()))
                                .toList();
                        consumer.assign(partitions);
                        consumer.seekToBeginning(partitions);
                        end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
                    }
                    for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(500))) {
                        apply.accept(record);
                    }
                    if (caughtUp.getCount() > 0 && caughtUp(partitions, end)) {
                        caughtUp.countDown();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (org.apache.kafka.common.KafkaException e) {
                    LOG.warn("reading {} failed ({}); trying again in 1 s", topic, e.getMessage());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the reader of {} stopped", topic, e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean caughtUp(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < end.get(p)) {
                return false;
            }
        }
        return true;
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
