package io.painjournal.validation;

import java.util.List;

/** The outcome of validating one event: the event, or every reason it was rejected. */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

    record Valid<T>(T value) implements Validated<T> {}

    record Invalid<T>(List<FieldError> errors) implements Validated<T> {
        public Invalid {
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid event has at least one error");
            }
            errors = List.copyOf(errors);
        }
    }
}
