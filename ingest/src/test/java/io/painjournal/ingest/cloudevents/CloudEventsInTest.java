package io.painjournal.ingest.cloudevents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.painjournal.ingest.cloudevents.CloudEventsIn.Mode;
import io.painjournal.validation.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudEventsInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA =
            "{\"userId\":\"u-1\",\"technique\":\"melt\",\"startedAt\":\"2026-11-20T18:00:00Z\","
                    + "\"durationMinutes\":10,\"painBefore\":7,\"painAfter\":4}";

    private static ObjectNode event() throws Exception {
        return (ObjectNode)
                JSON.readTree("{\"specversion\":\"1.0\",\"id\":\"abc-123\",\"source\":\"https://app.example/ios\","
                        + "\"type\":\"io.painjournal.session.v1\",\"datacontenttype\":\"application/json\",\"data\":"
                        + DATA + "}");
    }

    /** Vectors from Python's uuid.uuid5(uuid.NAMESPACE_URL, name). */
    @Test
    void aNonUuidIdIsTheVersion5UuidOfSourceAndId() {
        assertEquals(
                "e926e2a8-fce2-538c-844d-a1a020e4c7aa", CloudEventsIn.eventId("https://app.example/ios", "abc-123"));
        assertEquals("5feca083-3c19-574c-ace2-4cffdf019b48", CloudEventsIn.eventId("/sensors/tn-1", "42"));
        String uuid = UUID.randomUUID().toString();
        assertEquals(uuid, CloudEventsIn.eventId("any", uuid.toUpperCase()), "a UUID id is the eventId itself");
    }

    @Test
    void theModeIsTheExactMediaTypeSoABatchIsNeverTakenForOneEvent() {
        assertEquals(Mode.BATCH, CloudEventsIn.mode("application/cloudevents-batch+json", false));
        assertEquals(Mode.BATCH, CloudEventsIn.mode("Application/CloudEvents-Batch+JSON; charset=utf-8", true));
        assertEquals(Mode.STRUCTURED, CloudEventsIn.mode("application/cloudevents+json;charset=UTF-8", false));
        assertEquals(Mode.BINARY, CloudEventsIn.mode("application/json", true));
        assertEquals(Mode.NONE, CloudEventsIn.mode("application/json", false));
        assertEquals(Mode.NONE, CloudEventsIn.mode(null, false));
    }

    @Test
    void aStructuredEventBecomesTheBatchItemItStandsFor() throws Exception {
        CloudEventsIn.Item item = CloudEventsIn.structured(event());
        assertEquals(List.of(), item.errors());
        assertEquals("session", item.node().get("type").asText());
        assertEquals(
                "e926e2a8-fce2-538c-844d-a1a020e4c7aa",
                item.node().get("eventId").asText());
        assertEquals(7, item.node().get("painBefore").asInt());
    }

    @Test
    void eachMissingRequiredAttributeIsNamed() throws Exception {
        for (String attribute : List.of("specversion", "id", "source", "type", "data")) {
            ObjectNode e = event();
            e.remove(attribute);
            assertEquals(List.of(attribute), fields(CloudEventsIn.structured(e)), attribute);
        }
        ObjectNode wrongVersion = event().put("specversion", "0.3");
        assertEquals(List.of("specversion"), fields(CloudEventsIn.structured(wrongVersion)));
        ObjectNode empty = event().put("id", "");
        assertEquals(List.of("id"), fields(CloudEventsIn.structured(empty)));
    }

    @Test
    void binaryDataUnknownTypesAndAnotherEventIdAreRefused() throws Exception {
        ObjectNode base64 = event();
        base64.remove("data");
        base64.put("data_base64", "eyJ1c2VySWQiOiJ1LTEifQ==");
        assertEquals(List.of("data_base64", "data"), fields(CloudEventsIn.structured(base64)));
        assertEquals(List.of("type"), fields(CloudEventsIn.structured(event().put("type", "com.example.other"))));
        assertEquals(
                List.of("datacontenttype"),
                fields(CloudEventsIn.structured(event().put("datacontenttype", "text/plain"))));
        ObjectNode other = event();
        ((ObjectNode) other.get("data")).put("eventId", UUID.randomUUID().toString());
        CloudEventsIn.Item item = CloudEventsIn.structured(other);
        assertEquals(List.of("data.eventId"), fields(item));
        assertEquals("e926e2a8-fce2-538c-844d-a1a020e4c7aa", item.eventId(), "still named by its own id");
        ObjectNode same = event();
        ((ObjectNode) same.get("data")).put("eventId", "e926e2a8-fce2-538c-844d-a1a020e4c7aa");
        assertEquals(List.of(), CloudEventsIn.structured(same).errors());
        ObjectNode badTime = event().put("time", "yesterday");
        assertEquals(List.of(""), fields(CloudEventsIn.structured(badTime)), "the SDK's own rules: time is RFC 3339");
    }

    @Test
    void aBinaryEventNamesTheMissingHeader() {
        Map<String, String> headers = new HashMap<>(Map.of(
                "ce-specversion", "1.0",
                "ce-id", "abc-123",
                "ce-source", "https://app.example/ios",
                "ce-type", "io.painjournal.session.v1"));
        byte[] body = DATA.getBytes(StandardCharsets.UTF_8);
        CloudEventsIn.Item ok = CloudEventsIn.binary(headers, "application/json", body);
        assertEquals(List.of(), ok.errors());
        assertEquals("e926e2a8-fce2-538c-844d-a1a020e4c7aa", ok.eventId(), "the same key as in structured mode");
        for (String h : List.of("ce-specversion", "ce-id", "ce-source", "ce-type")) {
            Map<String, String> without = new HashMap<>(headers);
            without.remove(h);
            assertEquals(List.of(h), fields(CloudEventsIn.binary(without, "application/json", body)), h);
        }
        assertEquals(List.of("Content-Type"), fields(CloudEventsIn.binary(headers, "text/plain", body)));
        CloudEventsIn.Item notJson = CloudEventsIn.binary(headers, "application/json", "[1]".getBytes());
        assertEquals(List.of("data"), fields(notJson));
        assertNull(notJson.node());
    }

    private static List<String> fields(CloudEventsIn.Item item) {
        assertTrue(item.node() == null || item.errors().isEmpty());
        return item.errors().stream().map(FieldError::field).toList();
    }
}
