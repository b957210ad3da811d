package io.painjournal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One object checked against its {@link ObjectRules}: each field's value (null when absent or failing) and
 * every failing field, listed in the document's order of fields whatever order they were found in. The
 * rules written in code (cross-field and semantic ones) read values here and add their failures.
 */
final class Checked {

    private record Failure(int position, FieldError error) {}

    private final ObjectRules rules;
    private final Object[] values;
    private final boolean[] given;
    /** Reports the failures of the field being read, at its position. */
    private final Rule.Sink sink = (field, message) -> fail(this.reading, field, message);

    private List<Failure> failures;
    private int reading;

    Checked(ObjectRules rules) {
        this.rules = rules;
        this.values = new Object[rules.size()];
        this.given = new boolean[rules.size()];
    }

    void read(int position, JsonNode v) {
        ObjectRules.Field field = rules.field(position);
        given[position] = true;
        reading = position;
        values[position] = field.rule().read(v, field.name(), sink);
    }

    void absent(int position, Object byDefault) {
        values[position] = byDefault;
    }

    void rejectWhole(String message) {
        fail(-1, "", message);
    }

    /** Whether the field was in the object (not null), valid or not. */
    boolean given(String field) {
        return given[position(field)];
    }

    /** The field's value (its default when absent), or null when absent without a default or failing. */
    Object value(String field) {
        return values[position(field)];
    }

    Object value(int position) {
        return values[position];
    }

    /** Sets the value of a field the server fills in itself (a default that is not the document's). */
    void set(String field, Object value) {
        values[position(field)] = value;
    }

    /** The field fails a rule written in code that its schema message describes. */
    void reject(String field) {
        reject(field, rules.field(position(field)).rule().message());
    }

    void reject(String field, String message) {
        rejectItem(field, field, message);
    }

    /** A part of the field, such as {@code techniques[1]}, fails; listed where the field is. */
    void rejectItem(String field, String part, String message) {
        int position = position(field);
        values[position] = null;
        fail(position, part, message);
    }

    boolean isValid() {
        return failures == null;
    }

    /** Every failure, in the document's order of fields (several of one field in the order found). */
    List<FieldError> errors() {
        if (failures == null) {
            return List.of();
        }
        failures.sort(Comparator.comparingInt(Failure::position));
        return failures.stream().map(Failure::error).toList();
    }

    private void fail(int position, String field, String message) {
        if (failures == null) {
            failures = new ArrayList<>(4);
        }
        failures.add(new Failure(position, new FieldError(field, message)));
    }

    private int position(String field) {
        int position = rules.position(field);
        if (position < 0) {
            throw new IllegalArgumentException(rules.name() + " has no field " + field);
        }
        return position;
    }
}
