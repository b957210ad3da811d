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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every validation rule of API.md section 2, applied to the parsed JSON of one event. All failing
 * fields are reported, not just the first. Unknown fields are ignored; an explicit {@code null} for
 * an optional field counts as absent.
 */
public final class EventValidator {

    public static final String TYPE_FIELD = "type";

    static final String REQUIRED = "is required";
    static final String SCORE = "must be an integer from 0 to 10";
    static final String DURATION = "must be an integer from 1 to 480";
    static final String TIME_FORMAT =
            "must be an RFC 3339 date-time with an offset, such as 2026-11-20T18:30:00Z or 2026-11-21T08:00:00+01:00";
    static final String TIME_FUTURE = "must not be more than 24 hours after the server's clock";
    static final String TIME_PAST = "must not be before 2000-01-01T00:00:00Z";
    static final String TECHNIQUE = "must be a technique id of the catalogue (GET /v1/catalogue)";
    static final String EVENT_ID = "must be a UUID, such as 6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11";
    static final String USER_ID = "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    static final String PROVIDER = "must be one of professional, self, partner";
    static final String COST = "must be an integer from 0 to " + Integer.MAX_VALUE;
    static final String CURRENCY = "must be an ISO 4217 currency code, such as GBP";
    static final String CURRENCY_REQUIRED = "is required when costCents is given";
    static final String BODY_AREA = "must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' or '-'";
    static final String INTENSITY = "must be one of light, moderate, deep";
    static final String COHORT = "must be 1 to 40 characters of a-z, 0-9 or '-'";
    static final String BOOLEAN = "must be true or false";
    static final String TYPE = "must be \"" + Session.TYPE + "\" or \"" + PainScore.TYPE + "\"";
    static final String OBJECT = "must be a JSON object";
    static final String TECHNIQUES = "must be an array of two technique ids of the catalogue";
    static final String DISTINCT = "must differ from techniques[0]";
    static final String DATE = "must be a date YYYY-MM-DD, such as 2026-12-07";
    static final String PERIOD_DAYS = "must be an integer from 3 to 28";
    static final String PAIRS = "must be an integer from 2 to 8";
    /** How far ahead of today (UTC) a trial may start. */
    public static final int TRIAL_MAX_DAYS_AHEAD = 60;

    /** Earliest accepted event time. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far after the server's clock an event time may lie (clock skew of phones). */
    public static final Duration MAX_AHEAD = Duration.ofHours(24);

    /** What {@link #isUuid} accepts, as a pattern (the check itself is written out). */
    static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** What {@link #isValidUserId} accepts, as a pattern (the check itself is written out). */
    static final Pattern USER_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final Pattern BODY_AREA_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern COHORT_PATTERN = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern CURRENCY_PATTERN = Pattern.compile("[A-Z]{3}");
    /** RFC 3339 section 5.6 date-time: seconds required, offset required. */
    private static final Pattern RFC3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    private final Clock clock;

    public EventValidator(Clock clock) {
        this.clock = clock;
    }

    /** A UUID as ids are written (also for path parameters such as a trialId). */
    public static boolean isUuid(String id) {
        // by hand, as UUID_PATTERN says (IdChecksTest compares both): every request and event asks
        if (id == null || id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A user id as the contract allows it (also used for path parameters). */
    public static boolean isValidUserId(String userId) {
        // by hand, as USER_ID_PATTERN says (IdChecksTest compares both): every request and event asks
        if (userId == null || userId.isEmpty() || userId.length() > 64) {
            return false;
        }
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            if (!((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Validates the body of {@code POST /v1/sessions}. */
    public Validated<Session> session(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Validated.Invalid<>(List.of(new FieldError("", OBJECT)));
        }
        Fields f = new Fields(node, clock.instant());
        String eventId = f.eventId();
        String userId = f.userId();
        String technique = f.requiredString("technique", TECHNIQUE, Catalogue::contains);
        Instant startedAt = f.requiredTime("startedAt");
        Integer duration = f.requiredInt("durationMinutes", 1, 480, DURATION);
        Integer painBefore = f.requiredInt("painBefore", 0, 10, SCORE);
        Integer painAfter = f.requiredInt("painAfter", 0, 10, SCORE);
        String providerId =
                f.optionalString("provider", PROVIDER, id -> Provider.fromId(id).isPresent());
        Long costCents = f.optionalCost();
        String currency = f.optionalString(
                "currency", CURRENCY, c -> CURRENCY_PATTERN.matcher(c).matches() && CURRENCIES.contains(c));
        if (!f.absent("costCents") && f.absent("currency")) { // given, valid or not: report both fields
            f.error("currency", CURRENCY_REQUIRED);
        }
        String bodyArea = f.optionalString(
                "bodyArea", BODY_AREA, a -> BODY_AREA_PATTERN.matcher(a).matches());
        String intensityId = f.optionalString(
                "intensity", INTENSITY, i -> Intensity.fromId(i).isPresent());
        String cohort = f.optionalString(
                "cohort", COHORT, c -> COHORT_PATTERN.matcher(c).matches());
        if (!f.errors.isEmpty()) {
            return new Validated.Invalid<>(f.errors);
        }
        Provider provider = providerId != null
                ? Provider.fromId(providerId).orElseThrow()
                : Catalogue.byId(technique).orElseThrow().defaultProvider();
        return new Validated.Valid<>(new Session(
                eventId,
                userId,
                technique,
                startedAt,
                duration,
                painBefore,
                painAfter,
                provider,
                costCents,
                currency,
                bodyArea,
                intensityId == null ? null : Intensity.fromId(intensityId).orElseThrow(),
                cohort));
    }

    /** Validates the body of {@code POST /v1/pain-scores}. */
    public Validated<PainScore> painScore(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Validated.Invalid<>(List.of(new FieldError("", OBJECT)));
        }
        Fields f = new Fields(node, clock.instant());
        String eventId = f.eventId();
        String userId = f.userId();
        Instant recordedAt = f.requiredTime("recordedAt");
        Integer pain = f.requiredInt("pain", 0, 10, SCORE);
        Integer sleep = f.optionalInt("sleepQuality", 0, 10, SCORE);
        Integer stress = f.optionalInt("stress", 0, 10, SCORE);
        Integer mood = f.optionalInt("mood", 0, 10, SCORE);
        Integer anxiety = f.optionalInt("anxiety", 0, 10, SCORE);
        Boolean headache = f.optionalBoolean("headache");
        if (!f.errors.isEmpty()) {
            return new Validated.Invalid<>(f.errors);
        }
        return new Validated.Valid<>(
                new PainScore(eventId, userId, recordedAt, pain, sleep, stress, mood, anxiety, headache));
    }

    /**
     * Validates the body of {@code POST /v1/users/{userId}/trials} (API.md section 5) and, when it is
     * valid, draws the order of each pair with {@code random} (a cryptographic source in ingest).
     */
    public Validated<Trial> trial(String userId, JsonNode node, java.util.random.RandomGenerator random) {
        if (node == null || !node.isObject()) {
            return new Validated.Invalid<>(List.of(new FieldError("", OBJECT)));
        }
        Fields f = new Fields(node, clock.instant());
        String trialId = f.requiredString("trialId", EVENT_ID, EventValidator::isUuid);
        List<String> techniques = f.techniquePair("techniques");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate startDate = f.requiredDate("startDate", today.plusDays(TRIAL_MAX_DAYS_AHEAD));
        Integer periodDays = f.optionalInt("periodDays", 3, 28, PERIOD_DAYS);
        Integer pairs = f.optionalInt("pairs", 2, 8, PAIRS);
        int period = periodDays == null ? (f.absent("periodDays") ? 7 : 28) : periodDays;
        Integer washout = f.optionalInt("washoutDays", 0, period - 1, "must be an integer from 0 to periodDays - 1");
        if (!f.errors.isEmpty()) {
            return new Validated.Invalid<>(f.errors);
        }
        int n = pairs == null ? 3 : pairs;
        return new Validated.Valid<>(new Trial(
                trialId.toLowerCase(Locale.ROOT),
                userId,
                techniques,
                startDate,
                period,
                n,
                washout == null ? 1 : washout,
                Trial.drawOrder(techniques, n, random),
                clock.instant()));
    }

    /** Validates one item of {@code POST /v1/events}: its {@code type} picks the rules. */
    public Validated<? extends JournalEvent> batchItem(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Validated.Invalid<>(List.of(new FieldError("", OBJECT)));
        }
        JsonNode type = node.get(TYPE_FIELD);
        if (type != null && type.isTextual() && Session.TYPE.equals(type.asText())) {
            return session(node);
        }
        if (type != null && type.isTextual() && PainScore.TYPE.equals(type.asText())) {
            return painScore(node);
        }
        return new Validated.Invalid<>(
                List.of(new FieldError(TYPE_FIELD, type == null || type.isNull() ? REQUIRED : TYPE)));
    }

    /** Reads fields of one JSON object, collecting an error for each that fails. */
    private static final class Fields {
        private final JsonNode node;
        private final Instant now;
        final List<FieldError> errors = new ArrayList<>();

        Fields(JsonNode node, Instant now) {
            this.node = node;
            this.now = now;
        }

        void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        boolean absent(String field) {
            JsonNode v = node.get(field);
            return v == null || v.isNull();
        }

        String eventId() {
            String id = requiredString("eventId", EVENT_ID, EventValidator::isUuid);
            return id == null ? null : id.toLowerCase(Locale.ROOT);
        }

        String userId() {
            return requiredString("userId", USER_ID, EventValidator::isValidUserId);
        }

        String requiredString(String field, String message, java.util.function.Predicate<String> valid) {
            if (absent(field)) {
                error(field, REQUIRED);
                return null;
            }
            return string(field, message, valid);
        }

        String optionalString(String field, String message, java.util.function.Predicate<String> valid) {
            return absent(field) ? null : string(field, message, valid);
        }

        private String string(String field, String message, java.util.function.Predicate<String> valid) {
            JsonNode v = node.get(field);
            if (!v.isTextual() || !valid.test(v.asText())) {
                error(field, message);
                return null;
            }
            return v.asText();
        }

        Integer requiredInt(String field, int min, int max, String message) {
            if (absent(field)) {
                error(field, REQUIRED);
                return null;
            }
            return integer(field, min, max, message);
        }

        Integer optionalInt(String field, int min, int max, String message) {
            return absent(field) ? null : integer(field, min, max, message);
        }

        private Integer integer(String field, int min, int max, String message) {
            JsonNode v = node.get(field);
            // Only a JSON integer token: 7.0, 7.5, 1e1 and "7" are all rejected.
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
                error(field, message);
                return null;
            }
            return v.intValue();
        }

        Long optionalCost() {
            Integer cost = optionalInt("costCents", 0, Integer.MAX_VALUE, COST);
            return cost == null ? null : cost.longValue();
        }

        Boolean optionalBoolean(String field) {
            if (absent(field)) {
                return null;
            }
            JsonNode v = node.get(field);
            if (!v.isBoolean()) {
                error(field, BOOLEAN);
                return null;
            }
            return v.booleanValue();
        }

        /** Exactly two distinct catalogue ids; each failing element is reported as {@code field[i]}. */
        List<String> techniquePair(String field) {
            if (absent(field)) {
                error(field, REQUIRED);
                return null;
            }
            JsonNode v = node.get(field);
            if (!v.isArray() || v.size() != 2) {
                error(field, TECHNIQUES);
                return null;
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode t = v.get(i);
                if (!t.isTextual() || !Catalogue.contains(t.asText())) {
                    error(field + "[" + i + "]", TECHNIQUE);
                } else {
                    ids.add(t.asText());
                }
            }
            if (ids.size() == 2 && ids.get(0).equals(ids.get(1))) {
                error(field + "[1]", DISTINCT);
            }
            return ids.size() == 2 ? ids : null;
        }

        /** A UTC calendar date from 2000-01-01 up to {@code latest}. */
        LocalDate requiredDate(String field, LocalDate latest) {
            String text = requiredString(field, DATE, d -> d.matches("\\d{4}-\\d{2}-\\d{2}"));
            if (text == null) {
                return null;
            }
            LocalDate d;
            try {
                d = LocalDate.parse(text);
            } catch (DateTimeParseException e) { // 2026-02-30
                error(field, DATE);
                return null;
            }
            if (d.isBefore(LocalDate.of(2000, 1, 1)) || d.isAfter(latest)) {
                error(field, "must be from 2000-01-01 to " + latest + " (" + TRIAL_MAX_DAYS_AHEAD + " days ahead)");
                return null;
            }
            return d;
        }

        Instant requiredTime(String field) {
            String text =
                    requiredString(field, TIME_FORMAT, s -> RFC3339.matcher(s).matches());
            if (text == null) {
                return null;
            }
            Instant t;
            try {
                t = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) { // e.g. 2026-02-30 or 25:00
                error(field, TIME_FORMAT);
                return null;
            }
            if (t.isBefore(EARLIEST)) {
                error(field, TIME_PAST);
                return null;
            }
            if (t.isAfter(now.plus(MAX_AHEAD))) {
                error(field, TIME_FUTURE);
                return null;
            }
            return t;
        }
    }
}
