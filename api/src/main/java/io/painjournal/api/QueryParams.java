package io.painjournal.api;

import io.painjournal.catalogue.Catalogue;
import io.painjournal.validation.FieldError;
import io.painjournal.web.Problem;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads query parameters, collecting an error per bad one; {@link #failed()} answers 400 with them. */
final class QueryParams {

    /** The epsilon a {@code privacy=dp} request spends unless it says otherwise. */
    static final double DEFAULT_EPSILON = 0.5;

    private final RoutingContext ctx;
    private final List<FieldError> errors = new ArrayList<>();
    private final Map<String, LocalDate> dates = new HashMap<>();

    QueryParams(RoutingContext ctx) {
        this.ctx = ctx;
    }

    private String raw(String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isEmpty() ? null : v;
    }

    LocalDate date(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(v);
            dates.put(name, date);
            return date;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be a date YYYY-MM-DD"));
            return null;
        }
    }

    String technique(String name, boolean required) {
        String v = raw(name);
        if (v == null) {
            if (required) {
                errors.add(new FieldError(name, "is required"));
            }
            return null;
        }
        if (!Catalogue.contains(v)) {
            errors.add(new FieldError(name, "must be a technique id of the catalogue (GET /v1/catalogue)"));
            return null;
        }
        return v;
    }

    /** Two distinct technique ids of the catalogue, comma-separated (required); null when they are not. */
    List<String> techniquePair(String name) {
        String v = raw(name);
        String[] ids = v == null ? new String[0] : v.split(",", -1);
        if (ids.length != 2) {
            errors.add(new FieldError(name, "must be exactly two technique ids, comma-separated"));
            return null;
        }
        int before = errors.size();
        for (int i = 0; i < 2; i++) {
            if (!Catalogue.contains(ids[i])) {
                errors.add(new FieldError(
                        name + "[" + i + "]", "must be a technique id of the catalogue (GET /v1/catalogue)"));
            }
        }
        if (errors.size() == before && ids[0].equals(ids[1])) {
            errors.add(new FieldError(name + "[1]", "must differ from " + name + "[0]"));
        }
        return errors.size() == before ? List.of(ids[0], ids[1]) : null;
    }

    String pattern(String name, Pattern p, String message) {
        String v = raw(name);
        if (v != null && !p.matcher(v).matches()) {
            errors.add(new FieldError(name, message));
            return null;
        }
        return v;
    }

    Integer integer(String name, int min, int max) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "must be a whole number from " + min + " to " + max));
        return null;
    }

    /** The epsilon of a {@code privacy=dp} request (default 0.5), or null for an exact one. */
    Double privacy() {
        String mode = oneOf("privacy", "dp");
        String e = raw("epsilon");
        if (mode == null) {
            if (e != null) {
                errors.add(new FieldError("epsilon", "applies only with privacy=dp"));
            }
            return null;
        }
        if (e == null) {
            return DEFAULT_EPSILON;
        }
        try {
            double epsilon = Double.parseDouble(e);
            if (epsilon >= 0.01 && epsilon <= 100) {
                return epsilon;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        errors.add(new FieldError("epsilon", "must be a number from 0.01 to 100"));
        return DEFAULT_EPSILON;
    }

    void require(String name, Object value, String message) {
        if (value == null && raw(name) == null) {
            errors.add(new FieldError(name, message));
        }
    }

    void error(String name, String message) {
        errors.add(new FieldError(name, message));
    }

    String oneOf(String name, String... values) {
        String v = raw(name);
        if (v != null && !List.of(values).contains(v)) {
            errors.add(new FieldError(name, "must be one of " + String.join(", ", values)));
            return null;
        }
        return v;
    }

    /** Answers 400 with every bad parameter (and from after to) if there is any. */
    boolean failed() {
        LocalDate from = dates.get("from");
        LocalDate to = dates.get("to");
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("to", "must not be before from"));
        }
        if (errors.isEmpty()) {
            return false;
        }
        new Problem(
                        "urn:pain-journal:problem:invalid-query",
                        "The query is not valid",
                        400,
                        "See errors: every failing parameter is listed.",
                        errors)
                .send(ctx);
        return true;
    }
}
