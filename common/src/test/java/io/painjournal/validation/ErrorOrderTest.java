package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Failing fields are listed in the document's order, the failures of rules written in code among them. */
class ErrorOrderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventValidator validator =
            new EventValidator(Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void aSessionsFailuresComeInTheOrderOfItsFields() throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(ValidationRulesTest.SESSION);
        n.put("cohort", "UPPER")
                .put("costCents", 100)
                .put("startedAt", "2026-11-26T00:00:00Z")
                .put("eventId", "x");
        Validated.Invalid<?> invalid = (Validated.Invalid<?>) validator.session(n);
        assertEquals(
                List.of(
                        new FieldError("eventId", ContractMessages.EVENT_ID),
                        new FieldError("startedAt", ContractMessages.TIME_FUTURE),
                        new FieldError("currency", ContractMessages.CURRENCY_REQUIRED),
                        new FieldError("cohort", ContractMessages.COHORT)),
                invalid.errors());
    }

    @Test
    void aTrialsFailuresComeInTheOrderOfItsFields() throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree("{\"washoutDays\":7,\"techniques\":[\"melt\",\"melt\"],"
                + "\"startDate\":\"2031-01-01\",\"trialId\":\"x\"}");
        Validated.Invalid<?> invalid = (Validated.Invalid<?>) validator.trial("u-1", n, new Random(1));
        assertEquals(
                List.of(
                        new FieldError("trialId", ContractMessages.EVENT_ID),
                        new FieldError("techniques[1]", ContractMessages.DISTINCT),
                        new FieldError("startDate", "must be from 2000-01-01 to 2027-01-23 (60 days ahead)"),
                        new FieldError("washoutDays", ContractMessages.WASHOUT)),
                invalid.errors());
    }
}
