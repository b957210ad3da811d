package io.painjournal.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a failing field, made from the schema keyword it breaks and that keyword's values, so a
 * rule and its message are written once, in the document ({@code x-message} where no words follow from
 * the keywords, and {@link Format} for formats).
 */
final class Messages {

    static final String REQUIRED = "is required";
    static final String OBJECT = "must be a JSON object";
    static final String BOOLEAN = "must be true or false";
    static final String STRING = "must be a string";

    /** {@code ^[class]{m,n}$}: a character class of ranges and single characters, repeated m to n times. */
    private static final Pattern CHARACTERS = Pattern.compile("\\^\\[([^\\]\\\\^]+)]\\{(\\d+),(\\d+)}\\$");

    private Messages() {}

    /** {@code type: integer} with {@code minimum} and {@code maximum}. */
    static String integer(int minimum, int maximum) {
        return "must be an integer from " + minimum + " to " + maximum;
    }

    /** {@code enum}. */
    static String oneOf(List<String> values) {
        return "must be one of " + String.join(", ", values);
    }

    /**
     * {@code pattern} of the form {@code ^[A-Za-z0-9._-]{1,64}$}: "must be 1 to 64 characters of A-Z, a-z,
     * 0-9, '.', '_' or '-'"; empty for any other pattern (which then needs an {@code x-message}).
     */
    static Optional<String> characters(String pattern) {
        Matcher m = CHARACTERS.matcher(pattern);
        if (!m.matches()) {
            return Optional.empty();
        }
        String set = m.group(1);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < set.length(); i++) {
            if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                parts.add(set.substring(i, i + 3));
                i += 2;
            } else {
                parts.add("'" + set.charAt(i) + "'");
            }
        }
        String last = parts.remove(parts.size() - 1);
        String of = parts.isEmpty() ? last : String.join(", ", parts) + " or " + last;
        return Optional.of("must be " + m.group(2) + " to " + m.group(3) + " characters of " + of);
    }
}
