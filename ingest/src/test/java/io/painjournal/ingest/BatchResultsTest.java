package io.painjournal.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.Session;
import io.painjournal.validation.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of a batch answer: one result per item, in order, whatever happened to each. */
class BatchResultsTest {

    @Test
    void oneResultPerItemInOrderWithIndexEventIdStatusAndErrors() throws Exception {
        Session a = IngestServiceTest.session("u-1");
        Session b = IngestServiceTest.session("u-1");
        var items = new ObjectMapper()
                .readTree("[{\"eventId\":\"" + a.eventId() + "\"},"
                        + "{\"eventId\":\"bad\"},{\"eventId\":42},{\"eventId\":\"" + b.eventId() + "\"}]");
        List<List<FieldError>> errors = Arrays.asList(
                null,
                List.of(new FieldError("eventId", "must be a UUID"), new FieldError("pain", "is required")),
                List.of(new FieldError("", "must be a JSON object")),
                null);
        List<JournalEvent> valid = List.of(a, b);

        JsonArray results = IngestRoutes.batchResults(
                items, errors, valid, List.of(IngestService.Outcome.ACCEPTED, IngestService.Outcome.DUPLICATE));

        assertEquals(
                new JsonArray()
                        .add(new JsonObject()
                                .put("index", 0)
                                .put("eventId", a.eventId())
                                .put("status", "accepted")
                                .put("errors", new JsonArray()))
                        .add(new JsonObject()
                                .put("index", 1)
                                .put("eventId", "bad")
                                .put("status", "rejected")
                                .put(
                                        "errors",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("field", "eventId")
                                                        .put("message", "must be a UUID"))
                                                .add(new JsonObject()
                                                        .put("field", "pain")
                                                        .put("message", "is required"))))
                        .add(new JsonObject()
                                .put("index", 2)
                                .putNull("eventId")
                                .put("status", "rejected")
                                .put(
                                        "errors",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("field", "")
                                                        .put("message", "must be a JSON object"))))
                        .add(new JsonObject()
                                .put("index", 3)
                                .put("eventId", b.eventId())
                                .put("status", "duplicate")
                                .put("errors", new JsonArray())),
                results);
    }
}
