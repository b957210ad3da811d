package io.painjournal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Provider;
import io.painjournal.events.Intensity;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Every validation rule of API.md section 2 (and section 5 for trials), applied to the parsed JSON of one
 * event; all failing fields are reported, not just the first. Each field's own rule (type, bounds,
 * pattern, enum, format, required) and its message come from the schema of the OpenAPI document
 * ({@code Session}, {@code PainScore}, {@code TrialRequest}); the rules that span fields or need the
 * clock or the JDK's currencies are written here. Unknown fields are ignored; an explicit {@code null}
 * for an optional field counts as absent.
 */
public final class EventValidator {

    public static final String TYPE_FIELD = "type";

    /** How far ahead of today (UTC) a trial may start. */
    public static final int TRIAL_MAX_DAYS_AHEAD = 60;
    /** Earliest accepted event time. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far after the server's clock an event time may lie (clock skew of phones). */
    public static final Duration MAX_AHEAD = Duration.ofHours(24);

    static final String TIME_FUTURE = "must not be more than 24 hours after the server's clock";
    static final String TIME_PAST = "must not be before 2000-01-01T00:00:00Z";
    static final String CURRENCY_REQUIRED = "is required when costCents is given";
    static final String TYPE = "must be \"" + Session.TYPE + "\" or \"" + PainScore.TYPE + "\"";
    static final String DISTINCT = "must differ from techniques[0]";

    /** The document's schema of event times; its description states the bounds checked here. */
    private static final String INSTANT = "Instant";

    private static final LocalDate FIRST_TRIAL_DATE = LocalDate.of(2000, 1, 1);

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    /** From what a field reads as to the record's type, where they differ. */
    private static final Map<Class<?>, Function<Object, ?>> CONVERSIONS = Map.of(
            Long.class, cents -> ((Integer) cents).longValue(),
            Provider.class, id -> Provider.fromId((String) id).orElseThrow(),
            Intensity.class, id -> Intensity.fromId((String) id).orElseThrow());

    private static final ObjectRules SESSION = ObjectRules.of("Session");
    private static final ObjectRules PAIN_SCORE = ObjectRules.of("PainScore");
    private static final ObjectRules TRIAL = ObjectRules.of("TrialRequest");
    private static final RecordBinder<Session> SESSIONS = RecordBinder.of(Session.class, SESSION, CONVERSIONS);
    private static final RecordBinder<PainScore> PAIN_SCORES =
            RecordBinder.of(PainScore.class, PAIN_SCORE, CONVERSIONS);
    private static final RecordBinder<Trial> TRIALS = RecordBinder.of(Trial.class, TRIAL, CONVERSIONS);
    private static final List<String> SESSION_TIMES = SESSION.fieldsOf(INSTANT);
    private static final List<String> PAIN_SCORE_TIMES = PAIN_SCORE.fieldsOf(INSTANT);

    private final Clock clock;

    public EventValidator(Clock clock) {
        this.clock = clock;
    }

    /** A UUID as ids are written (also for path parameters such as a trialId). */
    public static boolean isUuid(String id) {
        return Ids.isUuid(id);
    }

    /** A user id as the contract allows it (also used for path parameters). */
    public static boolean isValidUserId(String userId) {
        return Ids.isUserId(userId);
    }

    /** Validates the body of {@code POST /v1/sessions}. */
    public Validated<Session> session(JsonNode node) {
        Checked f = SESSION.check(node);
        timesWithinBounds(f, SESSION_TIMES);
        costWithCurrency(f);
        if (!f.isValid()) {
            return new Validated.Invalid<>(f.errors());
        }
        if (f.value("provider") == null) {
            f.set(
                    "provider",
                    Catalogue.byId((String) f.value("technique")).orElseThrow().defaultProvider());
        }
        return new Validated.Valid<>(SESSIONS.bind(f, Map.of()));
    }

    /** Validates the body of {@code POST /v1/pain-scores}. */
    public Validated<PainScore> painScore(JsonNode node) {
        Checked f = PAIN_SCORE.check(node);
        timesWithinBounds(f, PAIN_SCORE_TIMES);
        if (!f.isValid()) {
            return new Validated.Invalid<>(f.errors());
        }
        return new Validated.Valid<>(PAIN_SCORES.bind(f, Map.of()));
    }

    /**
     * Validates the body of {@code POST /v1/users/{userId}/trials} (API.md section 5) and, when it is
     * valid, draws the order of each pair with {@code random} (a cryptographic source in ingest).
     */
    public Validated<Trial> trial(String userId, JsonNode node, RandomGenerator random) {
        Instant now = clock.instant();
        Checked f = TRIAL.check(node);
        distinctTechniques(f);
        startDateWithin(f, LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(TRIAL_MAX_DAYS_AHEAD));
        washoutWithinPeriod(f);
        if (!f.isValid()) {
            return new Validated.Invalid<>(f.errors());
        }
        List<String> order = Trial.drawOrder(strings(f.value("techniques")), (Integer) f.value("pairs"), random);
        return new Validated.Valid<>(TRIALS.bind(f, Map.of("userId", userId, "order", order, "acceptedAt", now)));
    }

    /** Validates one item of {@code POST /v1/events}: its {@code type} picks the rules. */
    public Validated<? extends JournalEvent> batchItem(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Validated.Invalid<>(List.of(new FieldError("", Messages.OBJECT)));
        }
        JsonNode type = node.get(TYPE_FIELD);
        if (type != null && type.isTextual() && Session.TYPE.equals(type.asText())) {
            return session(node);
        }
        if (type != null && type.isTextual() && PainScore.TYPE.equals(type.asText())) {
            return painScore(node);
        }
        return new Validated.Invalid<>(
                List.of(new FieldError(TYPE_FIELD, type == null || type.isNull() ? Messages.REQUIRED : TYPE)));
    }

    /** Event times lie from {@link #EARLIEST} to {@link #MAX_AHEAD} after the server's clock. */
    private void timesWithinBounds(Checked f, List<String> times) {
        Instant latest = clock.instant().plus(MAX_AHEAD);
        for (String field : times) {
            Instant t = (Instant) f.value(field);
            if (t != null && t.isBefore(EARLIEST)) {
                f.reject(field, TIME_PAST);
            } else if (t != null && t.isAfter(latest)) {
                f.reject(field, TIME_FUTURE);
            }
        }
    }

    /** A cost names its currency (reported whether the cost itself is valid or not); a currency is a real one. */
    private static void costWithCurrency(Checked f) {
        if (f.given("costCents") && !f.given("currency")) {
            f.reject("currency", CURRENCY_REQUIRED);
        }
        Object currency = f.value("currency");
        if (currency != null && !CURRENCIES.contains(currency)) {
            f.reject("currency");
        }
    }

    private static void distinctTechniques(Checked f) {
        List<String> techniques = strings(f.value("techniques"));
        if (techniques != null && techniques.get(0).equals(techniques.get(1))) {
            f.rejectItem("techniques", "techniques[1]", DISTINCT);
        }
    }

    /** A UTC calendar date from 2000-01-01 up to {@code latest}. */
    private static void startDateWithin(Checked f, LocalDate latest) {
        LocalDate start = (LocalDate) f.value("startDate");
        if (start != null && (start.isBefore(FIRST_TRIAL_DATE) || start.isAfter(latest))) {
            f.reject(
                    "startDate",
                    "must be from " + FIRST_TRIAL_DATE + " to " + latest + " (" + TRIAL_MAX_DAYS_AHEAD
                            + " days ahead)");
        }
    }

    /** A washout shorter than the period (the schema's maximum is that of the longest period). */
    private static void washoutWithinPeriod(Checked f) {
        Integer period = (Integer) f.value("periodDays");
        Integer washout = (Integer) f.value("washoutDays");
        if (period != null && washout != null && washout > period - 1) {
            f.reject("washoutDays");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object techniques) {
        return (List<String>) techniques;
    }
}
