package io.painjournal.app.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.painjournal.web.RequestIds;

/** {@code %requestId} of a text log line: {@code " [<id>]"} while serving a request, else nothing. */
public final class RequestIdConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        String id = RequestIds.current();
        return id == null ? "" : " [" + id + "]";
    }
}
