package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/users/{userId}/export}: everything of the user and nothing of anyone else, in event-time order,
 * duplicates once; the NDJSON posted into a fresh instance gives the same answers; the FHIR Bundle passes the
 * official FHIR R4 validator (HAPI's {@code FhirInstanceValidator}) with no error; only the user or an admin.
 */
class ExportEndToEndTest {

    private static final String USER = "u-export";
    private static final String TOKEN = TestJwt.token(USER, "user");

    @Test
    void theExportHoldsEverythingOfTheUserRoundTripsAndIsValidFhir(@TempDir Path dir, @TempDir Path fresh)
            throws Exception {
        List<String> sessions = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        Instant base = Instant.parse("2026-10-05T07:30:00Z");
        for (int i = 0; i < 12; i++) {
            Instant at = base.plus(Duration.ofHours(37L * (11 - i))); // posted newest first
            sessions.add("{\"type\":\"session\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + USER
                    + "\",\"technique\":\"" + (i % 2 == 0 ? "melt" : "swedish") + "\",\"startedAt\":\"" + at
                    + "\",\"durationMinutes\":" + (10 + i) + ",\"painBefore\":" + (5 + i % 5) + ",\"painAfter\":"
                    + (2 + i % 3) + (i % 3 == 0 ? ",\"costCents\":4500,\"currency\":\"GBP\"" : "")
                    + (i % 4 == 0 ? ",\"bodyArea\":\"lower-back\",\"intensity\":\"moderate\",\"cohort\":\"arm-x\"" : "")
                    + "}");
            entries.add("{\"type\":\"pain-score\",\"eventId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + USER
                    + "\",\"recordedAt\":\"" + at.plus(Duration.ofHours(20)) + "\",\"pain\":" + (3 + i % 4)
                    + (i % 2 == 0 ? ",\"sleepQuality\":6,\"stress\":4,\"mood\":7,\"anxiety\":2,\"headache\":true" : "")
                    + "}");
        }
        JsonNode exported;
        String ndjson;
        try (Application app = TestApps.start(TestApps.env(dir))) {
            TestHttp http = new TestHttp(app.config().httpPort());
            post(http, sessions, entries);
            post(http, sessions.subList(0, 3), List.of()); // re-posts: duplicates, exported once
            String other = TestJwt.token("someone-else", "user");
            assertEquals(
                    202,
                    http.postJson(
                                    "/v1/sessions",
                                    other,
                                    IngestEndToEndTest.session(UUID.randomUUID().toString(), "someone-else", ""))
                            .status());
            String trialId = UUID.randomUUID().toString();
            assertEquals(
                    202,
                    http.postJson(
                                    "/v1/users/" + USER + "/trials",
                                    TOKEN,
                                    "{\"trialId\":\"" + trialId
                                            + "\",\"techniques\":[\"melt\",\"swedish\"],\"startDate\":\"2026-10-06\"}")
                            .status());
            assertEquals(
                    202,
                    http.delete("/v1/users/" + USER + "/trials/" + trialId, TOKEN)
                            .status());

            String[] last = {""};
            try {
                TestApps.await("everything kept", Duration.ofSeconds(60), () -> {
                    TestHttp.Response all = http.get("/v1/users/" + USER + "/export", TOKEN);
                    last[0] = all.status() + " " + all.body();
                    return all.body().lines().count() == 26;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + last[0], e);
            }
            TestHttp.Response r = http.get("/v1/users/" + USER + "/export?format=ndjson", TOKEN);
            assertEquals(200, r.status());
            assertEquals("application/x-ndjson", r.contentType());
            ndjson = r.body();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : ndjson.split("\n")) {
                lines.add(TestHttp.JSON.readTree(line));
            }
            assertFalse(ndjson.contains("someone-else"), "nothing of anyone else");
            assertEquals(
                    12,
                    lines.stream()
                            .filter(l -> l.get("type").asText().equals("session"))
                            .count());
            assertEquals(
                    12,
                    lines.stream()
                            .filter(l -> l.get("type").asText().equals("pain-score"))
                            .count());
            assertEquals(
                    1,
                    lines.stream()
                            .filter(l -> l.get("type").asText().equals("trial"))
                            .count());
            assertEquals(
                    1,
                    lines.stream()
                            .filter(l -> l.get("type").asText().equals("trial-cancelled"))
                            .count());
            Instant previous = Instant.MIN;
            for (JsonNode l : lines) {
                Instant t = time(l);
                assertFalse(t.isBefore(previous), "event-time order: " + l);
                previous = t;
            }
            assertTrue(ndjson.contains("\"bodyArea\":\"lower-back\""), "every field, free text too");

            // only the user or an admin; a bad format is a 400
            assertEquals(403, http.get("/v1/users/" + USER + "/export", other).status());
            assertEquals(
                    200,
                    http.get("/v1/users/" + USER + "/export", AnalyticsEndToEndTest.ADMIN)
                            .status());
            assertEquals(
                    403,
                    http.get("/v1/users/" + USER + "/export", AnalyticsEndToEndTest.RESEARCHER)
                            .status());
            assertEquals(
                    400,
                    http.get("/v1/users/" + USER + "/export?format=xml", TOKEN).status());

            TestHttp.Response fhir = http.get("/v1/users/" + USER + "/export?format=fhir", TOKEN);
            assertEquals(200, fhir.status());
            assertEquals("application/fhir+json", fhir.contentType());
            exported = TestHttp.JSON.readTree(fhir.body());
            assertValidFhir(fhir.body());
            assertEquals("collection", exported.get("type").asText());
            assertEquals(1 + 12 * 3 + 12, exported.get("entry").size(), "patient, 3 per session, 1 per entry");
            for (JsonNode e : exported.get("entry")) {
                assertTrue(e.get("fullUrl").asText().startsWith("urn:uuid:"), e.toString());
            }
            assertEquals(
                    36,
                    count(
                            exported,
                            e -> e.at("/resource/code/coding/0/code").asText().equals("72514-3")),
                    "LOINC 72514-3: 12 journal entries, and each session's pain before and after");
            assertEquals(
                    24,
                    count(
                            exported,
                            e -> e.at("/resource/partOf/0/reference").asText().startsWith("urn:uuid:")));
            roundTrip(ndjson, http, fresh);
        }
    }

    /** The sessions and entries posted into a fresh instance give the same personal answers. */
    private static void roundTrip(String ndjson, TestHttp original, Path fresh) throws Exception {
        List<String> items = ndjson.lines()
                .filter(l -> l.contains("\"type\":\"session\"") || l.contains("\"type\":\"pain-score\""))
                .toList();
        try (Application copy = TestApps.start(TestApps.env(fresh))) {
            TestHttp http = new TestHttp(copy.config().httpPort());
            TestHttp.Response r = http.postJson("/v1/events", TOKEN, "[" + String.join(",", items) + "]");
            assertEquals(200, r.status(), r.body());
            assertFalse(r.body().contains("rejected"), "every exported line is re-postable as it is: " + r.body());
            for (String path : List.of("/v1/users/" + USER + "/techniques", "/v1/users/" + USER + "/journal")) {
                JsonNode expected = withoutAsOf(original.get(path, TOKEN).json());
                TestApps.await(
                        path + " the same",
                        Duration.ofSeconds(30),
                        () -> expected.equals(withoutAsOf(http.get(path + "?t=" + System.nanoTime(), TOKEN)
                                .json())));
            }
        }
    }

    private static void post(TestHttp http, List<String> sessions, List<String> entries) {
        List<String> all = new ArrayList<>(sessions);
        all.addAll(entries);
        TestHttp.Response r = http.postJson("/v1/events", TOKEN, "[" + String.join(",", all) + "]");
        assertEquals(200, r.status(), r.body());
        assertFalse(r.body().contains("rejected"), r.body());
    }

    private static Instant time(JsonNode line) {
        return switch (line.get("type").asText()) {
            case "session" -> Instant.parse(line.get("startedAt").asText());
            case "pain-score" -> Instant.parse(line.get("recordedAt").asText());
            case "trial" ->
                java.time.LocalDate.parse(line.get("startDate").asText())
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
            default -> Instant.parse(line.get("cancelledAt").asText());
        };
    }

    private static long count(JsonNode bundle, java.util.function.Predicate<JsonNode> p) {
        long n = 0;
        for (JsonNode e : bundle.get("entry")) {
            if (p.test(e)) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode withoutAsOf(JsonNode answer) {
        ((ObjectNode) answer).remove("asOf");
        return answer;
    }

    /** The validator is not a formality: an Observation without its required status is an error. */
    @Test
    void theValidatorRefusesABrokenBundle() {
        String broken = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"fullUrl\":"
                + "\"urn:uuid:" + UUID.randomUUID() + "\",\"resource\":{\"resourceType\":\"Observation\","
                + "\"code\":{\"text\":\"pain\"},\"valueInteger\":5}}]}";
        AssertionError e =
                org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> assertValidFhir(broken));
        assertTrue(e.getMessage().contains("status"), e.getMessage());
    }

    /** The official R4 validator, with the core profiles and the common code systems; any error fails. */
    static void assertValidFhir(String bundle) {
        FhirContext ctx = FhirContext.forR4();
        ValidationSupportChain support = new ValidationSupportChain(
                new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx));
        FhirInstanceValidator instance = new FhirInstanceValidator(support);
        FhirValidator validator = ctx.newValidator().registerValidatorModule(instance);
        ValidationResult result = validator.validateWithResult(bundle);
        List<String> errors = new ArrayList<>();
        for (SingleValidationMessage m : result.getMessages()) {
            if (m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL) {
                errors.add(m.getLocationString() + ": " + m.getMessage());
            }
        }
        assertEquals(List.of(), errors, "FHIR R4 validation errors");
    }
}
