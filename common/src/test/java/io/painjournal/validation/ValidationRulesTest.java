package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Provider;
import io.painjournal.catalogue.Technique;
import io.painjournal.events.Intensity;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every validation rule of API.md section 2, one at a time, with the server's clock fixed. */
class ValidationRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final EventValidator validator = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    static final String SESSION = "{\"eventId\":\"6F1C0A52-3A47-4A0E-9A57-8A1F0B7C2D11\",\"userId\":\"u-1029\","
            + "\"technique\":\"tennis-ball\",\"startedAt\":\"2026-11-20T18:30:00Z\",\"durationMinutes\":10,"
            + "\"painBefore\":7,\"painAfter\":4}";
    static final String PAIN = "{\"eventId\":\"0b4f6c7e-1d0e-4a43-8d3c-3d2b0e5f9a10\",\"userId\":\"u-1029\","
            + "\"recordedAt\":\"2026-11-21T08:00:00+01:00\",\"pain\":5}";

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The session with one field replaced by a raw JSON value (null: removed). */
    private static ObjectNode session(String field, String rawJson) {
        return with(SESSION, field, rawJson);
    }

    private static ObjectNode painScore(String field, String rawJson) {
        return with(PAIN, field, rawJson);
    }

    private static ObjectNode with(String base, String field, String rawJson) {
        ObjectNode n = parse(base);
        if (rawJson == null) {
            n.remove(field);
        } else {
            n.set(field, parseValue(rawJson));
        }
        return n;
    }

    private static JsonNode parseValue(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, String> errors(Validated<?> v) {
        return ((Validated.Invalid<?>) assertInstanceOf(Validated.Invalid.class, v))
                .errors().stream().collect(Collectors.toMap(FieldError::field, FieldError::message));
    }

    private static <T> T valid(Validated<T> v) {
        if (v instanceof Validated.Invalid<T> invalid) {
            throw new AssertionError("expected valid, got " + invalid.errors());
        }
        return ((Validated.Valid<T>) v).value();
    }

    // --- a valid session and its normalisation ---------------------------------------------------

    @Test
    void aFullSessionIsMappedAndNormalised() {
        ObjectNode n = parse(SESSION);
        n.put("startedAt", "2026-11-20T19:30:00.250+01:00");
        n.put("provider", "partner")
                .put("costCents", 1500)
                .put("currency", "GBP")
                .put("bodyArea", "lower-back")
                .put("intensity", "deep")
                .put("cohort", "melt-study-arm-a")
                .put("someFutureField", 42);
        Session s = valid(validator.session(n));
        assertEquals("6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11", s.eventId(), "lower-case canonical UUID");
        assertEquals("u-1029", s.userId());
        assertEquals("tennis-ball", s.technique());
        assertEquals(Instant.parse("2026-11-20T18:30:00.250Z"), s.startedAt(), "kept as a UTC instant");
        assertEquals(10, s.durationMinutes());
        assertEquals(7, s.painBefore());
        assertEquals(4, s.painAfter());
        assertEquals(Provider.PARTNER, s.provider(), "an explicit provider is kept");
        assertEquals(1500L, s.costCents());
        assertEquals("GBP", s.currency());
        assertEquals("lower-back", s.bodyArea());
        assertEquals(Intensity.DEEP, s.intensity());
        assertEquals("melt-study-arm-a", s.cohort());
    }

    @Test
    void theProviderDefaultsFromTheCatalogue() {
        for (Technique t : Catalogue.TECHNIQUES) {
            Session s = valid(validator.session(session("technique", "\"" + t.id() + "\"")));
            assertEquals(t.defaultProvider(), s.provider(), t.id());
        }
        assertEquals(Provider.SELF, valid(validator.session(parse(SESSION))).provider());
    }

    @Test
    void explicitNullOptionalsAreAbsent() {
        ObjectNode n = parse(SESSION);
        n.putNull("provider")
                .putNull("costCents")
                .putNull("currency")
                .putNull("cohort")
                .putNull("intensity");
        Session s = valid(validator.session(n));
        assertNull(s.costCents());
        assertNull(s.cohort());
    }

    // --- required fields ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {"eventId", "userId", "technique", "startedAt", "durationMinutes", "painBefore", "painAfter"})
    void everyRequiredSessionFieldIsRequired(String field) {
        assertEquals(Map.of(field, ContractMessages.REQUIRED), errors(validator.session(session(field, null))));
        assertEquals(Map.of(field, ContractMessages.REQUIRED), errors(validator.session(session(field, "null"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventId", "userId", "recordedAt", "pain"})
    void everyRequiredPainScoreFieldIsRequired(String field) {
        assertEquals(Map.of(field, ContractMessages.REQUIRED), errors(validator.painScore(painScore(field, null))));
    }

    // --- scores and duration -------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"7.5", "7.0", "1e1", "\"7\"", "-1", "11", "true", "[]", "{}", "99999999999"})
    void scoresAreJsonIntegersFrom0To10(String raw) {
        for (String f : List.of("painBefore", "painAfter")) {
            assertEquals(Map.of(f, ContractMessages.SCORE), errors(validator.session(session(f, raw))), f + "=" + raw);
        }
        for (String f : List.of("pain", "sleepQuality", "stress", "mood", "anxiety")) {
            assertEquals(
                    Map.of(f, ContractMessages.SCORE), errors(validator.painScore(painScore(f, raw))), f + "=" + raw);
        }
    }

    @Test
    void scoreBoundsAreInclusive() {
        valid(validator.session(session("painBefore", "0")));
        valid(validator.session(session("painAfter", "10")));
        ObjectNode n = painScore("pain", "0");
        n.put("sleepQuality", 10)
                .put("stress", 0)
                .put("mood", 10)
                .put("anxiety", 0)
                .put("headache", true);
        PainScore p = valid(validator.painScore(n));
        assertEquals(10, p.sleepQuality());
        assertEquals(true, p.headache());
        assertEquals(Instant.parse("2026-11-21T07:00:00Z"), p.recordedAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "481", "10.5", "\"10\"", "-5"})
    void durationIsAnIntegerFrom1To480(String raw) {
        assertEquals(
                Map.of("durationMinutes", ContractMessages.DURATION),
                errors(validator.session(session("durationMinutes", raw))));
    }

    @Test
    void durationBoundsAreInclusive() {
        valid(validator.session(session("durationMinutes", "1")));
        valid(validator.session(session("durationMinutes", "480")));
    }

    // --- times ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"2026-11-20T18:30:00\"",
                "\"2026-11-20\"",
                "\"2026-11-20T18:30Z\"",
                "\"2026-02-30T10:00:00Z\"",
                "\"2026-11-20T25:00:00Z\"",
                "\"20 Nov 2026\"",
                "1763663400",
                "\"\""
            })
    void timesAreRfc3339WithAnOffset(String raw) {
        assertEquals(
                Map.of("startedAt", ContractMessages.TIME_FORMAT),
                errors(validator.session(session("startedAt", raw))));
        assertEquals(
                Map.of("recordedAt", ContractMessages.TIME_FORMAT),
                errors(validator.painScore(painScore("recordedAt", raw))));
    }

    @Test
    void timesMayNotLieMoreThan24HoursAhead() {
        valid(validator.session(session("startedAt", "\"2026-11-25T12:00:00Z\"")));
        assertEquals(
                Map.of("startedAt", ContractMessages.TIME_FUTURE),
                errors(validator.session(session("startedAt", "\"2026-11-25T12:00:01Z\""))));
    }

    @Test
    void timesMayNotBeBefore2000() {
        valid(validator.session(session("startedAt", "\"2000-01-01T00:00:00Z\"")));
        assertEquals(
                Map.of("startedAt", ContractMessages.TIME_PAST),
                errors(validator.session(session("startedAt", "\"1999-12-31T23:59:59Z\""))));
        assertEquals(
                Map.of("startedAt", ContractMessages.TIME_PAST),
                errors(validator.session(session("startedAt", "\"2000-01-01T00:30:00+01:00\""))),
                "23:30 UTC of 1999");
    }

    @Test
    void offsetsFractionsAndLowerCaseAreUnderstood() {
        assertEquals(
                Instant.parse("2026-11-20T13:00:00Z"),
                valid(validator.session(session("startedAt", "\"2026-11-20T18:30:00+05:30\"")))
                        .startedAt());
        assertEquals(
                Instant.parse("2026-11-20T18:30:00.123456789Z"),
                valid(validator.session(session("startedAt", "\"2026-11-20t18:30:00.123456789z\"")))
                        .startedAt());
        assertEquals(
                Instant.parse("2026-11-20T20:30:00Z"),
                valid(validator.session(session("startedAt", "\"2026-11-20T18:30:00-02:00\"")))
                        .startedAt());
    }

    // --- identifiers and tokens ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\"reiki\"", "\"Melt\"", "\"\"", "7"})
    void techniqueMustBeACatalogueId(String raw) {
        assertEquals(
                Map.of("technique", ContractMessages.TECHNIQUE), errors(validator.session(session("technique", raw))));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"not-a-uuid\"",
                "\"6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d1\"",
                "\"6f1c0a523a474a0e9a578a1f0b7c2d11\"",
                "42"
            })
    void eventIdMustBeAUuid(String raw) {
        assertEquals(Map.of("eventId", ContractMessages.EVENT_ID), errors(validator.session(session("eventId", raw))));
    }

    @Test
    void userIdPattern() {
        for (String ok : List.of("u-1029", "a.b_c-D9", "x".repeat(64))) {
            valid(validator.session(session("userId", "\"" + ok + "\"")));
        }
        for (String bad : List.of("u 1", "", "x".repeat(65), "u/1", "ü")) {
            assertEquals(
                    Map.of("userId", ContractMessages.USER_ID),
                    errors(validator.session(session("userId", "\"" + bad + "\""))),
                    bad);
        }
    }

    @Test
    void providerIntensityCohortAndBodyArea() {
        assertEquals(
                Map.of("provider", ContractMessages.PROVIDER),
                errors(validator.session(session("provider", "\"spa\""))));
        assertEquals(
                Map.of("intensity", ContractMessages.INTENSITY),
                errors(validator.session(session("intensity", "\"hard\""))));
        assertEquals(
                Map.of("cohort", ContractMessages.COHORT), errors(validator.session(session("cohort", "\"Arm-A\""))));
        assertEquals(
                Map.of("cohort", ContractMessages.COHORT),
                errors(validator.session(session("cohort", "\"" + "a".repeat(41) + "\""))));
        valid(validator.session(session("cohort", "\"" + "a".repeat(40) + "\"")));
        assertEquals(
                Map.of("bodyArea", ContractMessages.BODY_AREA),
                errors(validator.session(session("bodyArea", "\"" + "b".repeat(33) + "\""))));
        assertEquals(
                Map.of("bodyArea", ContractMessages.BODY_AREA),
                errors(validator.session(session("bodyArea", "\"lower back\""))));
    }

    // --- cost and currency ---------------------------------------------------------------------

    @Test
    void costNeedsACurrencyAndBothMustBeValid() {
        assertEquals(
                Map.of("currency", ContractMessages.CURRENCY_REQUIRED),
                errors(validator.session(session("costCents", "100"))));
        for (String bad : List.of("-1", "1.5", "\"100\"")) {
            ObjectNode n = session("costCents", bad);
            n.put("currency", "GBP");
            assertEquals(Map.of("costCents", ContractMessages.COST), errors(validator.session(n)), bad);
        }
        for (String bad : List.of("gbp", "XYZ", "GBPP", "")) {
            ObjectNode n = session("costCents", "100");
            n.put("currency", bad);
            assertEquals(Map.of("currency", ContractMessages.CURRENCY), errors(validator.session(n)), bad);
        }
        ObjectNode free = session("costCents", "0");
        free.put("currency", "EUR");
        assertEquals(0L, valid(validator.session(free)).costCents(), "a free session carries a cost of 0");
    }

    @Test
    void headacheIsABoolean() {
        assertEquals(
                Map.of("headache", ContractMessages.BOOLEAN),
                errors(validator.painScore(painScore("headache", "\"yes\""))));
        assertEquals(
                Map.of("headache", ContractMessages.BOOLEAN), errors(validator.painScore(painScore("headache", "1"))));
    }

    // --- all at once, shapes, batch items ------------------------------------------------------

    @Test
    void everyFailingFieldIsListedTogether() {
        ObjectNode n = parse(SESSION);
        n.put("eventId", "x")
                .put("technique", "reiki")
                .put("durationMinutes", 0)
                .put("painBefore", 11)
                .put("cohort", "UPPER");
        assertEquals(
                Set.of("eventId", "technique", "durationMinutes", "painBefore", "cohort"),
                errors(validator.session(n)).keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"session\"", "42", "null"})
    void aBodyThatIsNotAnObjectIsRejectedAsAWhole(String raw) {
        JsonNode node = parseValue(raw);
        assertEquals(Map.of("", ContractMessages.OBJECT), errors(validator.session(node)));
        assertEquals(Map.of("", ContractMessages.OBJECT), errors(validator.painScore(node)));
        assertEquals(Map.of("", ContractMessages.OBJECT), errors(validator.batchItem(node)));
    }

    @Test
    void batchItemsArePickedByType() {
        ObjectNode s = parse(SESSION);
        s.put("type", "session");
        assertInstanceOf(Session.class, valid(validator.batchItem(s)));
        ObjectNode p = parse(PAIN);
        p.put("type", "pain-score");
        assertInstanceOf(PainScore.class, valid(validator.batchItem(p)));
        assertEquals(Map.of("type", ContractMessages.REQUIRED), errors(validator.batchItem(parse(SESSION))));
        ObjectNode wrong = parse(SESSION);
        wrong.put("type", "massage");
        assertEquals(Map.of("type", ContractMessages.TYPE), errors(validator.batchItem(wrong)));
        ObjectNode mismatched = parse(SESSION);
        mismatched.put("type", "pain-score");
        assertEquals(
                Set.of("recordedAt", "pain"),
                errors(validator.batchItem(mismatched)).keySet(),
                "a session body typed as a pain score is judged as a pain score");
    }
}
