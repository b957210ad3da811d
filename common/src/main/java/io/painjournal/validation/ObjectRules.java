package io.painjournal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of one object schema of the document, such as {@code Session}: its fields in the document's
 * order, each with its {@link Rule}, whether it is required and its {@code default}. Unknown fields are
 * ignored, and an explicit {@code null} is the field's absence (API.md section 2).
 */
final class ObjectRules {

    /** One field; {@code component} is the schema it refers to ({@code Instant}), or null. */
    record Field(String name, Rule rule, boolean required, Object byDefault, String component) {}

    private static final Set<String> KEYWORDS =
            Set.of("type", "required", "properties", "additionalProperties", "description", "title");

    private final String name;
    private final Field[] fields;
    private final Map<String, Integer> positions = new HashMap<>();

    private ObjectRules(String name, List<Field> fields) {
        this.name = name;
        this.fields = fields.toArray(new Field[0]);
        for (int i = 0; i < this.fields.length; i++) {
            positions.put(this.fields[i].name(), i);
        }
    }

    /** The rules of {@code components/schemas/<name>} of the document. */
    static ObjectRules of(String name) {
        return of(OpenApiDocument.get(), name);
    }

    static ObjectRules of(OpenApiDocument document, String name) {
        RuleCompiler compiler = new RuleCompiler(document);
        JsonNode schema = compiler.resolved(document.schema(name), name);
        schema.fieldNames().forEachRemaining(keyword -> {
            if (!KEYWORDS.contains(keyword)) {
                throw RuleCompiler.refused(name, "the keyword " + keyword + " (of an object) is not interpreted");
            }
        });
        JsonNode more = schema.path("additionalProperties");
        if (!schema.path("type").asText().equals("object") || !(more.isMissingNode() || more.asBoolean(false))) {
            throw RuleCompiler.refused(name, "an event is an object whose unknown fields are ignored");
        }
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<Field> fields = new ArrayList<>();
        schema.path("properties").fields().forEachRemaining(p -> {
            String where = name + "." + p.getKey();
            Rule rule = compiler.compile(p.getValue(), where);
            JsonNode given = p.getValue().has("default")
                    ? p.getValue().get("default")
                    : compiler.resolved(p.getValue(), where).get("default");
            Object byDefault = given == null
                    ? null
                    : rule.read(given, p.getKey(), (field, message) -> {
                        throw RuleCompiler.refused(where, "the default breaks the rule: " + message);
                    });
            fields.add(new Field(
                    p.getKey(), rule, required.remove(p.getKey()), byDefault, document.componentOf(p.getValue())));
        });
        if (!required.isEmpty()) {
            throw RuleCompiler.refused(name, "required but not a property: " + required);
        }
        return new ObjectRules(name, fields);
    }

    /** Every field of {@code node} read by its rule; a failing one is listed with its message. */
    Checked check(JsonNode node) {
        Checked checked = new Checked(this);
        if (node == null || !node.isObject()) {
            checked.rejectWhole(Messages.OBJECT);
            return checked;
        }
        for (int i = 0; i < fields.length; i++) {
            Field field = fields[i];
            JsonNode v = node.get(field.name());
            if (v != null && !v.isNull()) {
                checked.read(i, v);
            } else if (field.required()) {
                checked.reject(field.name(), Messages.REQUIRED);
            } else {
                checked.absent(i, field.byDefault());
            }
        }
        return checked;
    }

    String name() {
        return name;
    }

    int size() {
        return fields.length;
    }

    Field field(int position) {
        return fields[position];
    }

    /** The position of a field, or -1 when the schema has none of that name. */
    int position(String field) {
        return positions.getOrDefault(field, -1);
    }

    /** The names of the fields that refer to {@code component}, in order. */
    List<String> fieldsOf(String component) {
        List<String> names = new ArrayList<>();
        for (Field f : fields) {
            if (component.equals(f.component())) {
                names.add(f.name());
            }
        }
        return names;
    }
}
