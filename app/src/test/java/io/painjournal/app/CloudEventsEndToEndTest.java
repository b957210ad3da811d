package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.painjournal.events.JournalEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * CloudEvents at {@code POST /v1/events} on the running application: each mode accepted and counted, the same
 * {@code source} + {@code id} a duplicate in any mode, each missing attribute named, a mixed batch judged item
 * by item, and a plain batch still a plain batch.
 */
class CloudEventsEndToEndTest extends SharedAppTest {

    private static final String USER = "u-ce";
    private static final String TOKEN = TestJwt.token(USER, "user");
    private static final String SOURCE = "https://apps.example/ios/7";

    static String data(String technique, int before, int after) {
        return "{\"userId\":\"" + USER + "\",\"technique\":\"" + technique
                + "\",\"startedAt\":\"2026-11-20T18:00:00Z\"," + "\"durationMinutes\":10,\"painBefore\":" + before
                + ",\"painAfter\":" + after + "}";
    }

    static String structured(String id, String type, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + SOURCE + "\",\"type\":\"" + type
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    @Test
    void everyModeIsAcceptedCountedAndKeyedBySourceAndId() throws Exception {
        TestHttp.Response one = http.post(
                "/v1/events",
                TOKEN,
                "application/cloudevents+json",
                structured("sess-1", "io.painjournal.session.v1", data("thai", 8, 2)));
        assertEquals(202, one.status(), one.body());
        String eventId = one.json().get("eventId").asText();
        assertEquals(io.painjournal.ingest.cloudevents.CloudEventsIn.eventId(SOURCE, "sess-1"), eventId);

        // the same source and id in binary mode: a duplicate, whatever the mode
        TestHttp.Response again = http.postWith(
                "/v1/events",
                TOKEN,
                "application/json",
                data("thai", 8, 2),
                "ce-specversion",
                "1.0",
                "ce-id",
                "sess-1",
                "ce-source",
                SOURCE,
                "ce-type",
                "io.painjournal.session.v1");
        assertEquals(200, again.status(), again.body());
        assertEquals("duplicate", again.json().get("status").asText());
        assertEquals(eventId, again.json().get("eventId").asText());

        TestHttp.Response binary = http.postWith(
                "/v1/events",
                TOKEN,
                "application/json; charset=utf-8",
                data("thai", 6, 3),
                "ce-specversion",
                "1.0",
                "ce-id",
                "sess-2",
                "ce-source",
                SOURCE,
                "ce-type",
                "io.painjournal.session.v1");
        assertEquals(202, binary.status(), binary.body());

        String uuid = UUID.randomUUID().toString();
        String painScore = "{\"userId\":\"" + USER + "\",\"recordedAt\":\"2026-11-21T08:00:00Z\",\"pain\":3}";
        String batch = "[" + structured(uuid, "io.painjournal.pain-score.v1", painScore) + ","
                + structured("sess-3", "io.painjournal.session.v1", data("thai", 7, 7)) + ","
                + structured("sess-1", "io.painjournal.session.v1", data("thai", 8, 2)) + "," // duplicate
                + structured("sess-4", "io.painjournal.session.v1", data("thai", 7, 11)) + "," // painAfter 11
                + structured("sess-5", "com.example.unknown", data("thai", 7, 1)) + ","
                + "{\"specversion\":\"1.0\",\"source\":\"" + SOURCE + "\",\"type\":\"io.painjournal.session.v1\","
                + "\"data\":" + data("thai", 7, 1) + "}]";
        TestHttp.Response results = http.post("/v1/events", TOKEN, "application/cloudevents-batch+json", batch);
        assertEquals(200, results.status(), results.body());
        JsonNode r = results.json().get("results");
        assertEquals(
                List.of("accepted", "accepted", "duplicate", "rejected", "rejected", "rejected"),
                IngestEndToEndTest.statuses(r));
        assertEquals(uuid, r.get(0).get("eventId").asText(), "a UUID id is the eventId");
        assertEquals(
                Set.of("data.painAfter"), IngestEndToEndTest.fields(r.get(3).get("errors")));
        assertEquals(Set.of("type"), IngestEndToEndTest.fields(r.get(4).get("errors")));
        assertEquals(Set.of("id"), IngestEndToEndTest.fields(r.get(5).get("errors")));

        // counted: thai has 3 sessions of this user (8→2, 6→3, 7→7)
        TestApps.await(
                "the CloudEvents counted",
                Duration.ofSeconds(30),
                () -> http.get("/v1/users/" + USER + "/techniques", TOKEN)
                        .body()
                        .contains("\"sessions\":3"));
        List<ConsumerRecord<String, JournalEvent>> journal = TestApps.readJournal(app.bootstrapServers()).stream()
                .filter(record -> record.key().equals(USER))
                .toList();
        assertEquals(4, journal.size(), "three sessions and a pain score of the user, each once");
        assertTrue(TestApps.eventIds(journal).contains(eventId));
    }

    @Test
    void aCloudEventThatBreaksTheSpecIsA400NamingTheAttribute() throws Exception {
        for (String attribute : List.of("specversion", "id", "source", "type")) {
            String event = structured("x-" + attribute, "io.painjournal.session.v1", data("thai", 5, 5))
                    .replaceFirst("\"" + attribute + "\":\"[^\"]*\",", "");
            TestHttp.Response r = http.post("/v1/events", TOKEN, "application/cloudevents+json", event);
            assertEquals(400, r.status(), attribute + ": " + r.body());
            assertEquals(Set.of(attribute), IngestEndToEndTest.fields(r.json().get("errors")), r.body());
            assertEquals("application/problem+json", r.contentType());
        }
        TestHttp.Response base64 = http.post(
                "/v1/events",
                TOKEN,
                "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"b64\",\"source\":\"s\",\"type\":\"io.painjournal.session.v1\","
                        + "\"data_base64\":\"e30=\"}");
        assertEquals(400, base64.status());
        assertEquals(
                Set.of("data_base64", "data"),
                IngestEndToEndTest.fields(base64.json().get("errors")));
        TestHttp.Response missingHeader = http.postWith(
                "/v1/events",
                TOKEN,
                "application/json",
                data("thai", 5, 5),
                "ce-specversion",
                "1.0",
                "ce-id",
                "h1",
                "ce-type",
                "io.painjournal.session.v1");
        assertEquals(400, missingHeader.status());
        assertEquals(
                Set.of("ce-source"),
                IngestEndToEndTest.fields(missingHeader.json().get("errors")));
        TestHttp.Response badData = http.post(
                "/v1/events",
                TOKEN,
                "application/cloudevents+json",
                structured("bad-data", "io.painjournal.session.v1", data("foot-rub", 5, 5)));
        assertEquals(
                Set.of("data.technique"),
                IngestEndToEndTest.fields(badData.json().get("errors")));
        TestHttp.Response notYours = http.post(
                "/v1/events",
                TestJwt.token("someone-else", "user"),
                "application/cloudevents+json",
                structured("theirs", "io.painjournal.session.v1", data("thai", 5, 5)));
        assertEquals(403, notYours.status());
        assertEquals(415, http.post("/v1/events", TOKEN, "text/plain", "hello").status());
        TestHttp.Response notArray = http.post(
                "/v1/events",
                TOKEN,
                "application/cloudevents-batch+json",
                structured("solo", "io.painjournal.session.v1", data("thai", 5, 5)));
        assertEquals(400, notArray.status(), "a batch is an array, even of one: " + notArray.body());
    }
}
