package io.painjournal.analytics.topology;

import io.micrometer.core.instrument.Counter;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The processing side of {@link DeadLetterHandler}: a journal record the processor cannot read
 * ({@link UnreadableRecordException}, thrown before it changes anything) is logged, counted in
 * {@value DeadLetterHandler#DEAD_LETTERS}, copied as it was (still sealed) to the dead-letter topic, and
 * skipped. Any other exception is a fault of analytics, not of the record: it stops the task, whose
 * transaction is aborted and which starts again from its last commit (nothing is skipped).
 */
public final class UnreadableRecordHandler extends LogAndContinueProcessingExceptionHandler {

    private Counter deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        deadLetters = DeadLetterHandler.counter(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!(exception instanceof UnreadableRecordException)) {
            return Response.fail();
        }
        deadLetters.increment();
        return super.handleError(context, record, exception);
    }
}
