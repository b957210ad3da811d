package io.painjournal.app.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes each event as one JSON object on one line:
 * {@code {"time":"…Z","level":"INFO","logger":"…","thread":"…","message":"…","error":"…"}}
 * ({@code error}, the stack trace, only when there is one). Lines are written whole, so lines from
 * different threads never interleave.
 */
final class JsonLogger extends LegacyAbstractLogger {

    private final Level threshold;
    private final transient PrintStream out;

    JsonLogger(String name, Level threshold, PrintStream out) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        out.println(line(Instant.now(), level, name, Thread.currentThread().getName(),
                MessageFormatter.basicArrayFormat(pattern, arguments), throwable));
    }

    static String line(Instant time, Level level, String logger, String thread, String message, Throwable error) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"time\":\"").append(time).append("\",\"level\":\"").append(level).append('"');
        field(b, "logger", logger);
        field(b, "thread", thread);
        field(b, "message", message == null ? "" : message);
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            field(b, "error", trace.toString());
        }
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append(",\"").append(key).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
