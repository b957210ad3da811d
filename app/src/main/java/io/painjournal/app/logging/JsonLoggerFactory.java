package io.painjournal.app.logging;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link JsonLogger} per name, all writing whole lines to one stream. */
final class JsonLoggerFactory implements ILoggerFactory {

    private final LogLevels levels;
    private final PrintStream out;
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    JsonLoggerFactory(LogLevels levels, PrintStream out) {
        this.levels = levels;
        this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, levels.levelOf(n), out));
    }
}
