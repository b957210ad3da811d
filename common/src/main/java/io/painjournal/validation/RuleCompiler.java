package io.painjournal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles the schema of one field into its {@link Rule}. It reads the subset of JSON Schema the event
 * schemas use ({@code type} integer, boolean, string or array; {@code minimum}, {@code maximum},
 * {@code pattern}, {@code enum}, {@code format}, {@code items}, {@code minItems}, {@code maxItems},
 * {@code $ref}) plus {@code x-message}, the words of a rule whose keywords give none. Any other keyword
 * is refused when the document is read, so no rule of the document is ever silently not applied.
 */
final class RuleCompiler {

    static final String MESSAGE = "x-message";

    /** Keywords that say nothing a value must be ({@code default} is applied by {@link ObjectRules}). */
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "example", "examples", "default");

    private static final Map<String, Set<String>> KEYWORDS = Map.of(
            "integer", Set.of("type", "minimum", "maximum", MESSAGE),
            "boolean", Set.of("type", MESSAGE),
            "string", Set.of("type", "pattern", "enum", "format", MESSAGE),
            "array", Set.of("type", "items", "minItems", "maxItems", MESSAGE));

    private final OpenApiDocument document;

    RuleCompiler(OpenApiDocument document) {
        this.document = document;
    }

    /** The rule of the schema at {@code where} (such as {@code Session.painBefore}, for errors). */
    Rule compile(JsonNode schema, String where) {
        JsonNode s = resolved(schema, where);
        String type = type(s, where);
        s.fieldNames().forEachRemaining(keyword -> {
            if (!ANNOTATIONS.contains(keyword) && !KEYWORDS.get(type).contains(keyword)) {
                throw refused(where, "the keyword " + keyword + " (of a " + type + ") is not interpreted");
            }
        });
        String message = s.has(MESSAGE) ? s.get(MESSAGE).asText() : null;
        return switch (type) {
            case "integer" -> integer(s, message, where);
            case "boolean" -> new Rule.BooleanRule(message != null ? message : Messages.BOOLEAN);
            case "string" -> string(s, message, where);
            default -> array(s, message, where);
        };
    }

    /** The schema written in place, or the component its {@code $ref} names (beside which only annotations may stand). */
    JsonNode resolved(JsonNode schema, String where) {
        if (!schema.has("$ref")) {
            return schema;
        }
        schema.fieldNames().forEachRemaining(keyword -> {
            if (!keyword.equals("$ref") && !ANNOTATIONS.contains(keyword)) {
                throw refused(where, "only annotations may stand beside $ref, not " + keyword);
            }
        });
        return resolved(document.schema(document.componentOf(schema)), where);
    }

    private static String type(JsonNode s, String where) {
        JsonNode type = s.get("type");
        if (type == null && s.has("enum")) {
            return "string";
        }
        if (type == null || !type.isTextual() || !KEYWORDS.containsKey(type.asText())) {
            throw refused(where, "the type must be one of " + KEYWORDS.keySet() + ", not " + type);
        }
        return type.asText();
    }

    private static Rule integer(JsonNode s, String message, String where) {
        int minimum = bound(s, "minimum", where);
        int maximum = bound(s, "maximum", where);
        return new Rule.IntegerRule(message != null ? message : Messages.integer(minimum, maximum), minimum, maximum);
    }

    private static int bound(JsonNode s, String keyword, String where) {
        JsonNode v = s.get(keyword);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw refused(where, "an integer needs a whole " + keyword);
        }
        return v.intValue();
    }

    private static Rule string(JsonNode s, String message, String where) {
        Format format = null;
        if (s.has("format")) {
            format = Format.named(s.get("format").asText())
                    .orElseThrow(() -> refused(where, "the format " + s.get("format") + " is not known"));
        }
        List<String> allowed = null;
        if (s.has("enum")) {
            allowed = new ArrayList<>();
            for (JsonNode v : s.get("enum")) {
                if (!v.isTextual()) {
                    throw refused(where, "an enum lists strings");
                }
                allowed.add(v.asText());
            }
        }
        String pattern = s.has("pattern") ? s.get("pattern").asText() : null;
        if (pattern != null && !(pattern.startsWith("^") && pattern.endsWith("$"))) {
            throw refused(where, "a pattern is anchored with ^ and $");
        }
        if (message == null) {
            message = stringMessage(format, allowed, pattern, where);
        }
        return new Rule.StringRule(
                message,
                pattern == null ? null : Pattern.compile(pattern),
                allowed == null ? null : Set.copyOf(allowed),
                format);
    }

    /** The words of a string rule: its format's, its enum's, its character class's, or plainly a string. */
    private static String stringMessage(Format format, List<String> allowed, String pattern, String where) {
        if (format != null) {
            return format.message();
        }
        if (allowed != null) {
            return Messages.oneOf(allowed);
        }
        if (pattern != null) {
            return Messages.characters(pattern)
                    .orElseThrow(() -> refused(where, "a pattern of this form needs an x-message"));
        }
        return Messages.STRING;
    }

    private Rule array(JsonNode s, String message, String where) {
        if (message == null || !s.has("items")) {
            throw refused(where, "an array needs items and an x-message");
        }
        int minItems = s.has("minItems") ? bound(s, "minItems", where) : 0;
        int maxItems = s.has("maxItems") ? bound(s, "maxItems", where) : Integer.MAX_VALUE;
        return new Rule.ArrayRule(message, minItems, maxItems, compile(s.get("items"), where + "[]"));
    }

    static IllegalStateException refused(String where, String why) {
        return new IllegalStateException(OpenApiDocument.RESOURCE + ", " + where + ": " + why);
    }
}
