package io.painjournal.app.logging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.event.Level;

/**
 * Per-logger levels in slf4j-simple's terms, so text and JSON logs filter alike: the default level
 * ({@code org.slf4j.simpleLogger.defaultLogLevel}, a system property beating the file) and
 * {@code org.slf4j.simpleLogger.log.<name prefix>} entries, the longest dotted prefix winning.
 */
final class LogLevels {

    static final String RESOURCE = "/simplelogger.properties";
    private static final String PREFIX = "org.slf4j.simpleLogger.log.";

    private final Level fallback;
    private final Map<String, Level> byPrefix;

    LogLevels(Level fallback, Map<String, Level> byPrefix) {
        this.fallback = fallback;
        this.byPrefix = Map.copyOf(byPrefix);
    }

    static LogLevels fromClasspath() {
        Properties file = new Properties();
        try (InputStream in = LogLevels.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return from(file, System.getProperty(Logging.DEFAULT_LEVEL_PROPERTY));
    }

    static LogLevels from(Properties file, String defaultOverride) {
        String fallback = defaultOverride != null ? defaultOverride
                : file.getProperty(Logging.DEFAULT_LEVEL_PROPERTY, "info");
        Map<String, Level> byPrefix = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                byPrefix.put(key.substring(PREFIX.length()), parse(file.getProperty(key), Level.INFO));
            }
        }
        return new LogLevels(parse(fallback, Level.INFO), byPrefix);
    }

    /** The level of the logger {@code name}: its own entry, else its nearest dotted ancestor's, else the default. */
    Level levelOf(String name) {
        for (String n = name; !n.isEmpty(); n = n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : "") {
            Level level = byPrefix.get(n);
            if (level != null) {
                return level;
            }
        }
        return fallback;
    }

    private static Level parse(String value, Level orElse) {
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return orElse;
        }
    }
}
