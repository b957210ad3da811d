package io.painjournal.app.logging;

/**
 * Chooses how the process logs, before the first logger is made (so {@code Main} calls it first thing):
 * Logback with {@code logback.xml}, text or JSON lines on stderr, {@code LOG_LEVEL} as the level of the
 * application's loggers.
 */
public final class Logging {

    static final String FORMAT_PROPERTY = "painjournal.log.format";
    static final String LEVEL_PROPERTY = "painjournal.log.level";

    private Logging() {}

    public static void configure(boolean json, String level) {
        System.setProperty(FORMAT_PROPERTY, json ? "json" : "text");
        System.setProperty(LEVEL_PROPERTY, level);
        // Initialised here, on the main thread, before any other thread can log: SLF4J otherwise queues
        // the calls other threads make during its initialisation and prints a warning (not JSON) on stderr.
        org.slf4j.LoggerFactory.getILoggerFactory();
    }
}
