package io.painjournal.web;

import java.util.regex.Pattern;

/**
 * What may go into a log line about a request. Logs are read by operators, shipped to other systems and
 * kept for long: they carry no user id and no free text (docs/PRIVACY.md).
 */
public final class LogSafe {

    private static final Pattern USER_PATH = Pattern.compile("(/users/)[^/?]*");

    private LogSafe() {}

    /** The path with every user id replaced by {@code {userId}}, e.g. {@code /v1/users/{userId}/journal}. */
    public static String path(String path) {
        return path == null ? "" : USER_PATH.matcher(path).replaceAll("$1{userId}");
    }
}
