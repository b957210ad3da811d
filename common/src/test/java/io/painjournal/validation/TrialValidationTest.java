package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.painjournal.events.EventCodec;
import io.painjournal.events.Trial;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The trial request rules of API.md section 5, with the server's clock fixed at 2026-11-24. */
class TrialValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventValidator validator =
            new EventValidator(Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC));
    private static final String TRIAL = "{\"trialId\":\"6F1C0A52-3A47-4A0E-9A57-8A1F0B7C2D11\","
            + "\"techniques\":[\"melt\",\"tennis-ball\"],\"startDate\":\"2026-12-07\"}";

    private static ObjectNode with(String field, String rawJson) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(TRIAL);
            if (rawJson == null) {
                n.remove(field);
            } else {
                n.set(field, JSON.readTree(rawJson));
            }
            return n;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Map<String, String> errors(ObjectNode body) {
        Validated<Trial> v = validator.trial("u-1", body, new Random(1));
        Validated.Invalid<Trial> invalid = (Validated.Invalid<Trial>) assertInstanceOf(Validated.Invalid.class, v);
        return invalid.errors().stream().collect(Collectors.toMap(FieldError::field, FieldError::message));
    }

    @Test
    void defaultsAndARandomOrderPerPair() {
        Trial t = assertInstanceOf(Validated.Valid.class, validator.trial("u-1", with("x", null), new Random(7)))
                                .value()
                        instanceof Trial trial
                ? trial
                : null;
        assertEquals("6f1c0a52-3a47-4a0e-9a57-8a1f0b7c2d11", t.trialId(), "canonical lower case");
        assertEquals("u-1", t.userId());
        assertEquals(LocalDate.parse("2026-12-07"), t.startDate());
        assertEquals(7, t.periodDays());
        assertEquals(3, t.pairs());
        assertEquals(1, t.washoutDays());
        assertEquals(6, t.order().size());
        for (int j = 0; j < 3; j++) {
            assertEquals(
                    java.util.Set.of("melt", "tennis-ball"),
                    java.util.Set.of(t.order().get(2 * j), t.order().get(2 * j + 1)));
        }
        assertEquals(t, EventCodec.decode(EventCodec.encode(t)), "the drawn order travels with the event");
        java.util.Set<List<String>> orders = new java.util.HashSet<>();
        for (int seed = 0; seed < 40; seed++) {
            orders.add(((Trial) ((Validated.Valid<?>)
                                    validator.trial("u-1", with("x", null), new java.util.SplittableRandom(seed)))
                            .value())
                    .order());
        }
        assertEquals(8, orders.size(), "every one of the 2^3 orders is drawn");
    }

    @Test
    void everyFailingFieldIsListed() {
        ObjectNode bad = with("techniques", "[\"melt\",\"reiki\"]");
        bad.put("trialId", "nope");
        bad.put("startDate", "2026-02-30");
        bad.put("periodDays", 2);
        bad.put("pairs", 9);
        bad.put("washoutDays", 30);
        Map<String, String> errors = errors(bad);
        assertEquals(
                java.util.Set.of("trialId", "techniques[1]", "startDate", "periodDays", "pairs", "washoutDays"),
                errors.keySet());
    }

    @Test
    void eachRule() {
        assertEquals(
                Map.of("techniques[1]", ContractMessages.DISTINCT), errors(with("techniques", "[\"melt\",\"melt\"]")));
        assertEquals(Map.of("techniques", ContractMessages.TECHNIQUES), errors(with("techniques", "[\"melt\"]")));
        assertEquals(Map.of("techniques", ContractMessages.TECHNIQUES), errors(with("techniques", "\"melt\"")));
        assertEquals(Map.of("techniques[0]", ContractMessages.TECHNIQUE), errors(with("techniques", "[7,\"melt\"]")));
        assertEquals(Map.of("techniques", ContractMessages.REQUIRED), errors(with("techniques", null)));
        assertEquals(Map.of("trialId", ContractMessages.REQUIRED), errors(with("trialId", null)));
        assertTrue(
                errors(with("startDate", "\"2027-01-24\"")).get("startDate").contains("2027-01-23"), "60 days ahead");
        assertInstanceOf(
                Validated.Valid.class, validator.trial("u", with("startDate", "\"2027-01-23\""), new Random()));
        assertInstanceOf(
                Validated.Valid.class, validator.trial("u", with("startDate", "\"2000-01-01\""), new Random()));
        assertTrue(errors(with("startDate", "\"1999-12-31\"")).containsKey("startDate"));
        assertEquals(Map.of("startDate", ContractMessages.DATE), errors(with("startDate", "\"2026-12-07T00:00:00Z\"")));
        assertEquals(Map.of("periodDays", ContractMessages.PERIOD_DAYS), errors(with("periodDays", "29")));
        assertEquals(Map.of("periodDays", ContractMessages.PERIOD_DAYS), errors(with("periodDays", "7.0")));
        assertEquals(Map.of("pairs", ContractMessages.PAIRS), errors(with("pairs", "1")));
        ObjectNode washout = with("periodDays", "3");
        washout.put("washoutDays", 3);
        assertEquals(java.util.Set.of("washoutDays"), errors(washout).keySet(), "below periodDays");
        washout.put("washoutDays", 2);
        assertInstanceOf(Validated.Valid.class, validator.trial("u", washout, new Random()));
        assertEquals(Map.of("", ContractMessages.OBJECT), errors((ObjectNode) null));
    }
}
