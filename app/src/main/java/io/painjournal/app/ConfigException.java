package io.painjournal.app;

import java.util.List;

/** The environment does not make a valid configuration; the message lists every problem. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
}
