package io.painjournal.validation;

/**
 * One failing field of an event, as listed in a problem+json body or a batch result.
 *
 * @param field   the JSON field name; empty when the whole item is at fault
 * @param message what a valid value looks like, in words a developer of a companion app can act on
 */
public record FieldError(String field, String message) {}
