package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The whole ingest path on the embedded broker: HTTP in, Kafka out, read back with a plain consumer.
 */
class IngestEndToEndTest extends SharedAppTest {

    static String session(String eventId, String userId, String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId + "\",\"technique\":\"tennis-ball\","
                + "\"startedAt\":\"2026-11-20T19:30:00+01:00\",\"durationMinutes\":10,\"painBefore\":7,"
                + "\"painAfter\":4" + extra + "}";
    }

    /** Posts a new pain score of {@code userId} and checks it was accepted. */
    static void postPainScore(TestHttp http, String token, String userId) {
        TestHttp.Response r = http.postJson(
                "/v1/pain-scores", token, painScore(UUID.randomUUID().toString(), userId));
        org.junit.jupiter.api.Assertions.assertEquals(202, r.status(), r.body());
    }

    static String painScore(String eventId, String userId) {
        return "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId
                + "\",\"recordedAt\":\"2026-11-21T08:00:00+01:00\","
                + "\"pain\":5,\"sleepQuality\":6,\"headache\":false,\"someNewField\":{\"x\":1}}";
    }

    @Test
    void acceptedEventsAreInKafkaOnceRejectedOnesAbsentDuplicatesNotRepublished() {
        String user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestJwt.token(user, "user");
        String s1 = UUID.randomUUID().toString();
        String p1 = UUID.randomUUID().toString();
        String b1 = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();

        TestHttp.Response first = http.postJson("/v1/sessions", token, session(s1, user, ",\"cohort\":\"arm-a\""));
        assertEquals(202, first.status(), first.body());
        assertEquals("application/json", first.contentType());
        assertEquals(s1, first.json().get("eventId").asText());
        assertEquals("accepted", first.json().get("status").asText());

        TestHttp.Response again = http.postJson("/v1/sessions", token, session(s1, user, ""));
        assertEquals(200, again.status(), again.body());
        assertEquals("duplicate", again.json().get("status").asText());

        assertEquals(
                202,
                http.postJson("/v1/pain-scores", token, painScore(p1, user)).status());

        TestHttp.Response invalid = http.postJson(
                "/v1/sessions", token, session(bad, user, ",\"painAfter\":11").replace("\"painAfter\":4,", ""));
        assertEquals(400, invalid.status(), invalid.body());

        String batch = "["
                + withType("session", session(b1, user, "")) + "," // 0 accepted
                + withType("session", session(s1, user, "")) + "," // 1 duplicate of an earlier post
                + withType("session", session(b1, user, "")) + "," // 2 duplicate inside the batch
                + withType("pain-score", "{\"eventId\":\"" + bad + "\",\"userId\":\"" + user + "\",\"pain\":12}")
                + "," // 3
                + "\"not an object\"]"; // 4
        TestHttp.Response result = http.postJson("/v1/events", token, batch);
        assertEquals(200, result.status(), result.body());
        JsonNode results = result.json().get("results");
        assertEquals(5, results.size());
        assertEquals(List.of("accepted", "duplicate", "duplicate", "rejected", "rejected"), statuses(results));
        for (int i = 0; i < 5; i++) {
            assertEquals(i, results.get(i).get("index").asInt());
        }
        assertEquals(bad, results.get(3).get("eventId").asText());
        Set<String> failing = fields(results.get(3).get("errors"));
        assertEquals(Set.of("recordedAt", "pain"), failing);

        List<ConsumerRecord<String, JournalEvent>> mine = TestApps.readJournal(app.bootstrapServers()).stream()
                .filter(r -> r.key().equals(user))
                .toList();
        assertEquals(
                List.of(s1, p1, b1),
                mine.stream().map(r -> r.value().eventId()).toList(),
                "each accepted event once, in order; nothing rejected; no duplicate re-published");
        Session stored = (Session) mine.get(0).value();
        assertEquals(Instant.parse("2026-11-20T18:30:00Z"), stored.startedAt(), "normalised to UTC");
        assertEquals("arm-a", stored.cohort());
        assertEquals(io.painjournal.catalogue.Provider.SELF, stored.provider(), "defaulted from the catalogue");
        PainScore score = (PainScore) mine.get(1).value();
        assertEquals(Instant.parse("2026-11-21T07:00:00Z"), score.recordedAt());
        assertEquals(6, score.sleepQuality());
        assertFalse(score.headache());
        assertTrue(
                mine.stream().allMatch(r -> r.partition() == mine.get(0).partition()),
                "one user's events share a partition");
    }

    @Test
    void aBatchOfAThousandIsAcceptedAndOneMoreIsRefused() {
        String user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestJwt.token(user, "user");
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append(withType("session", session(UUID.randomUUID().toString(), user, "")));
        }
        String thousand = batch + "]";
        TestHttp.Response ok = http.postJson("/v1/events", token, thousand);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(1000, ok.json().get("results").size());
        assertTrue(statuses(ok.json().get("results")).stream().allMatch("accepted"::equals));

        String tooMany =
                batch + "," + withType("session", session(UUID.randomUUID().toString(), user, "")) + "]";
        TestHttp.Response refused = http.postJson("/v1/events", token, tooMany);
        assertEquals(400, refused.status());
        assertEquals("application/problem+json", refused.contentType());
        assertTrue(refused.json().get("detail").asText().contains("1000"), refused.body());
    }

    @Test
    void everyProblemIsProblemJsonWithTheRightStatus() {
        String token = TestJwt.token("u-problems", "user");
        TestHttp.Response malformed = http.postJson("/v1/sessions", token, "{\"eventId\": ");
        assertEquals(400, malformed.status());
        assertEquals("application/problem+json", malformed.contentType());
        assertEquals(400, malformed.json().get("status").asInt());

        assertEquals(
                400, http.postJson("/v1/sessions", token, "{\"a\":1} {\"b\":2}").status(), "trailing data");
        assertEquals(400, http.postJson("/v1/sessions", token, "").status(), "empty body");
        assertEquals(
                400,
                http.postJson("/v1/events", token, "{\"not\":\"an array\"}").status());

        TestHttp.Response wrongType = http.post("/v1/sessions", token, "text/plain", "{}");
        assertEquals(415, wrongType.status());
        assertEquals("application/problem+json", wrongType.contentType());
        assertEquals(415, http.post("/v1/events", token, null, "[]").status(), "no content type");

        TestHttp.Response tooBig = http.postJson("/v1/events", token, "[" + " ".repeat(1024 * 1024) + "]");
        assertEquals(413, tooBig.status());
        assertEquals("application/problem+json", tooBig.contentType());

        TestHttp.Response invalid = http.postJson(
                "/v1/sessions",
                token,
                "{\"eventId\":\"nope\",\"userId\":\"u-problems\",\"technique\":\"reiki\",\"startedAt\":\"2026-11-20\","
                        + "\"durationMinutes\":500,\"painBefore\":\"7\",\"painAfter\":7.5,\"costCents\":-1}");
        assertEquals(400, invalid.status());
        assertEquals("application/problem+json", invalid.contentType());
        JsonNode problem = invalid.json();
        assertEquals(400, problem.get("status").asInt());
        assertTrue(problem.hasNonNull("type") && problem.hasNonNull("title"));
        assertEquals(
                Set.of(
                        "eventId",
                        "technique",
                        "startedAt",
                        "durationMinutes",
                        "painBefore",
                        "painAfter",
                        "costCents",
                        "currency"),
                fields(problem.get("errors")));

        assertEquals(200, http.postJson("/v1/events", token, "[]").status(), "an empty batch is fine");
        assertEquals(404, http.get("/v1/nothing-here", token).status());
    }

    @Test
    void healthAndMetricsAreOpenAndReportKafkaAndHttp() throws Exception {
        assertEquals(200, http.get("/health/live", null).status());
        TestApps.await(
                "ready (Kafka reachable, analytics running)",
                java.time.Duration.ofSeconds(60),
                () -> http.get("/health/ready", null).status() == 200);
        TestHttp.Response ready = http.get("/health/ready", null);
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().get("checks").get("kafka").asText());
        assertEquals("UP", ready.json().get("checks").get("analytics").asText());

        String token = TestJwt.token("u-ingest-metrics", "user");
        http.postJson("/v1/sessions", token, session(UUID.randomUUID().toString(), "u-ingest-metrics", ""));
        TestHttp.Response metrics = http.get("/metrics", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        assertTrue(metrics.body().contains("vertx_http_server_requests_total"), "HTTP server metrics");
        assertTrue(metrics.body().contains("kafka_producer_record_send_total"), "Kafka producer metrics");
        assertTrue(
                metrics.body()
                        .contains("painjournal_ingest_events_total{outcome=\"accepted\",reason=\"none\","
                                + "service=\"pain-journal\",type=\"session\"}"),
                "ingest outcomes");

        TestHttp.Response openApi = http.get("/openapi.yaml", null);
        assertEquals(200, openApi.status());
        assertTrue(openApi.body().startsWith("openapi: 3."));
    }

    static String withType(String type, String eventJson) {
        return "{\"type\":\"" + type + "\"," + eventJson.substring(1);
    }

    static List<String> statuses(JsonNode results) {
        return java.util.stream.StreamSupport.stream(results.spliterator(), false)
                .map(r -> r.get("status").asText())
                .toList();
    }

    static Set<String> fields(JsonNode errors) {
        return java.util.stream.StreamSupport.stream(errors.spliterator(), false)
                .map(e -> e.get("field").asText())
                .collect(Collectors.toSet());
    }
}
