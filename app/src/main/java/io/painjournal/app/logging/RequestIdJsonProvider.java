package io.painjournal.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import io.painjournal.web.RequestIds;
import java.io.IOException;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

/**
 * The {@code requestId} field of a JSON log line: the id of the request the logging thread is serving
 * ({@link RequestIds#current()}), left out when there is none. The appender is synchronous, so this runs
 * on the thread that logged.
 */
public final class RequestIdJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {

    public RequestIdJsonProvider() {
        setFieldName(RequestIds.MDC_KEY);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        String id = RequestIds.current();
        if (id != null) {
            generator.writeStringField(getFieldName(), id);
        }
    }
}
