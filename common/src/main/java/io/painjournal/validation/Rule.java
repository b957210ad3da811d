package io.painjournal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one field, or one item of an array field, must be: compiled from its schema by {@link RuleCompiler},
 * with the one message a failing value gets.
 */
sealed interface Rule {

    /** Where a rule reports a failing value. */
    interface Sink {
        void reject(String field, String message);
    }

    String message();

    /**
     * What {@code v} (never absent or null) reads as: an Integer, Boolean, String, the value of its
     * {@link Format}, or a List of its items' values; or null once {@code sink} has been told why not.
     */
    Object read(JsonNode v, String field, Sink sink);

    /** {@code type: integer}, {@code minimum}, {@code maximum}: only a JSON integer token (not 7.0, 1e1 or "7"). */
    record IntegerRule(String message, int minimum, int maximum) implements Rule {
        @Override
        public Object read(JsonNode v, String field, Sink sink) {
            if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= minimum && v.intValue() <= maximum) {
                return v.intValue();
            }
            sink.reject(field, message);
            return null;
        }
    }

    /** {@code type: boolean}. */
    record BooleanRule(String message) implements Rule {
        @Override
        public Object read(JsonNode v, String field, Sink sink) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            sink.reject(field, message);
            return null;
        }
    }

    /** {@code type: string} or an {@code enum} of strings; {@code pattern} (anchored), {@code format}: each may be null. */
    record StringRule(String message, Pattern pattern, Set<String> allowed, Format format) implements Rule {
        @Override
        public Object read(JsonNode v, String field, Sink sink) {
            if (v.isTextual()) {
                String text = v.textValue();
                if ((pattern == null || pattern.matcher(text).matches())
                        && (allowed == null || allowed.contains(text))) {
                    Object value = format == null ? text : format.read(text);
                    if (value != null) {
                        return value;
                    }
                }
            }
            sink.reject(field, message);
            return null;
        }
    }

    /**
     * {@code type: array}, {@code minItems}, {@code maxItems}, {@code items}: a wrong shape is reported on the
     * field, a failing item as {@code field[i]} with the item's message.
     */
    record ArrayRule(String message, int minItems, int maxItems, Rule items) implements Rule {
        @Override
        public Object read(JsonNode v, String field, Sink sink) {
            if (!v.isArray() || v.size() < minItems || v.size() > maxItems) {
                sink.reject(field, message);
                return null;
            }
            List<Object> values = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                values.add(items.read(v.get(i), field + "[" + i + "]", sink));
            }
            return values.contains(null) ? null : List.copyOf(values);
        }
    }
}
