package io.painjournal.app.logging;

/**
 * Chooses how the process logs, before the first logger is made (so {@code Main} calls it first thing).
 * Text lines come from slf4j-simple; JSON lines, one object per line, from {@link JsonLogProvider}.
 * Both take their per-logger levels from {@code simplelogger.properties}, with {@code LOG_LEVEL} as the
 * default level.
 */
public final class Logging {

    /** SLF4J 2's switch for an explicit provider (no class-path scan). */
    static final String PROVIDER_PROPERTY = "slf4j.provider";
    static final String DEFAULT_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private Logging() {
    }

    public static void configure(boolean json, String level) {
        System.setProperty(DEFAULT_LEVEL_PROPERTY, level);
        // SLF4J's own notes (such as which provider it loaded) only when something is wrong.
        System.setProperty("slf4j.internal.verbosity", "WARN");
        if (json) {
            System.setProperty(PROVIDER_PROPERTY, JsonLogProvider.class.getName());
        }
    }
}
