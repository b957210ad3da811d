package io.painjournal.validation;

import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes a record of a checked object through its canonical constructor: each component takes the value
 * of the schema field of the same name, or, for a component the request does not carry (a trial's
 * {@code userId}, {@code order}, {@code acceptedAt}), the value the server gives. So a field is named once
 * in Java, as a record component, and once in the document, with its rule.
 */
final class RecordBinder<R extends Record> {

    private final Constructor<R> constructor;
    private final String[] names;
    private final Class<?>[] types;
    private final int[] positions;
    private final Map<Class<?>, Function<Object, ?>> conversions;

    private RecordBinder(
            Constructor<R> constructor,
            String[] names,
            Class<?>[] types,
            int[] positions,
            Map<Class<?>, Function<Object, ?>> conversions) {
        this.constructor = constructor;
        this.names = names;
        this.types = types;
        this.positions = positions;
        this.conversions = conversions;
    }

    /**
     * The binder of {@code type} to the fields of {@code rules}; {@code conversions} turn a field's value
     * (an Integer, String, Boolean, Instant, LocalDate or List) into a component type that is none of those.
     */
    static <R extends Record> RecordBinder<R> of(
            Class<R> type, ObjectRules rules, Map<Class<?>, Function<Object, ?>> conversions) {
        RecordComponent[] components = type.getRecordComponents();
        String[] names = Arrays.stream(components).map(RecordComponent::getName).toArray(String[]::new);
        Class<?>[] declared =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        int[] positions = Arrays.stream(names).mapToInt(rules::position).toArray();
        long bound = Arrays.stream(positions).filter(p -> p >= 0).count();
        if (bound != rules.size()) {
            throw new IllegalStateException(
                    "a field of the schema " + rules.name() + " is no component of " + type.getSimpleName());
        }
        try {
            Class<?>[] boxed = Arrays.stream(declared)
                    .map(t -> MethodType.methodType(t).wrap().returnType())
                    .toArray(Class<?>[]::new);
            return new RecordBinder<>(type.getDeclaredConstructor(declared), names, boxed, positions, conversions);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    /** The record of {@code checked} (which is valid), with {@code fromServer} for the other components. */
    R bind(Checked checked, Map<String, ?> fromServer) {
        Object[] args = new Object[names.length];
        for (int i = 0; i < args.length; i++) {
            Object v = positions[i] >= 0 ? checked.value(positions[i]) : fromServer.get(names[i]);
            args[i] = v == null || types[i].isInstance(v) ? v : convert(i, v);
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the record refused fields its schema accepted", e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot make the record of " + Arrays.toString(names), e);
        }
    }

    private Object convert(int i, Object v) {
        Function<Object, ?> conversion = conversions.get(types[i]);
        if (conversion == null) {
            throw new IllegalStateException(names[i] + ": no conversion from " + v.getClass() + " to " + types[i]);
        }
        return conversion.apply(v);
    }
}
