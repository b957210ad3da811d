package io.painjournal.analytics.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * A journal record that does not decode (not JSON, an unknown type, a required field missing) is logged,
 * counted ({@value #DEAD_LETTERS}) and copied to the dead-letter topic, and counting goes on. The copy is
 * Kafka Streams' own (KIP-1034, {@code errors.dead.letter.queue.topic.name}): the record's key and bytes,
 * with headers {@code __streams.errors.exception}, {@code .message} (the codec's reason, which never quotes
 * the record), {@code .stacktrace}, {@code .topic}, {@code .partition} and {@code .offset}.
 */
public final class DeadLetterHandler extends LogAndContinueExceptionHandler {

    /** Streams property holding the {@link MeterRegistry} to count in (the global one if absent). */
    public static final String REGISTRY_CONFIG = "painjournal.metrics.registry";
    /** {@code painjournal_analytics_dead_letters_total}. */
    public static final String DEAD_LETTERS = "painjournal.analytics.dead.letters";

    private Counter deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        deadLetters = counter(configs);
    }

    /** The dead-letter counter in the registry the Streams properties name (the global one if none). */
    static Counter counter(Map<String, ?> configs) {
        MeterRegistry registry = configs.get(REGISTRY_CONFIG) instanceof MeterRegistry r ? r : Metrics.globalRegistry;
        return Counter.builder(DEAD_LETTERS)
                .description("Journal records that could not be read, copied to the dead-letter topic and skipped")
                .register(registry);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        deadLetters.increment();
        return super.handleError(context, record, exception);
    }
}
