package io.painjournal.validation;

import java.util.regex.Pattern;

/**
 * The two id checks every request and event asks (a UUID; a user id), written out by hand for speed.
 * {@code IdChecksTest} holds each to its pattern: the user id's is the document's {@code UserId} schema.
 */
final class Ids {

    /** What {@link #isUuid} accepts: the {@code uuid} format as ids are written. */
    static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** What {@link #isUserId} accepts: the pattern of the document's {@code UserId} schema. */
    static final Pattern USER_ID_PATTERN = Pattern.compile(
            OpenApiDocument.get().schema("UserId").get("pattern").asText());

    private Ids() {}

    static boolean isUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > 64) {
            return false;
        }
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            if (!((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
