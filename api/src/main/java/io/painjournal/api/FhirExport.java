package io.painjournal.api;

import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Technique;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A user's export as a FHIR R4 {@code Bundle} of type {@code collection} (API.md, {@code format=fhir}), written a
 * piece at a time so it can be streamed: {@link #head}, then {@link #entries} per event (joined by commas), then
 * {@link #TAIL}. A journal entry is an {@code Observation} (LOINC 72514-3, the other journal fields as components);
 * a session is a {@code Procedure} with two pain {@code Observation}s, before and after, that point at it with
 * {@code partOf}. Every entry has a {@code fullUrl} ({@code urn:uuid:…}, stable per event); all refer to one
 * {@code Patient} identified by the userId. Trials are not clinical resources: they are in the NDJSON export.
 */
final class FhirExport {

    static final String CONTENT_TYPE = "application/fhir+json";
    static final String TAIL = "]}";
    static final String LOINC = "http://loinc.org";
    static final String PAIN_CODE = "72514-3";
    static final String PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported";
    static final String EVENT_IDS = "urn:pain-journal:event-id";

    private FhirExport() {}

    /** The Bundle up to and including its first entry, the Patient. */
    static String head(String userId, Instant now) {
        JsonObject patient = new JsonObject()
                .put("resourceType", "Patient")
                .put(
                        "identifier",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("system", "urn:pain-journal:user-id")
                                        .put("value", userId)));
        String bundle = new JsonObject()
                .put("resourceType", "Bundle")
                .put("type", "collection")
                .put("timestamp", now.toString())
                .encode();
        return bundle.substring(0, bundle.length() - 1) + ",\"entry\":["
                + entry(patientUrl(userId), patient).encode();
    }

    static String patientUrl(String userId) {
        return urn("patient " + userId);
    }

    /** The entries of one event: none for a trial or a cancellation. */
    static List<JsonObject> entries(JournalEvent event, String patientUrl) {
        List<JsonObject> entries = new ArrayList<>();
        if (event instanceof PainScore p) {
            JsonObject o = pain(p.eventId(), patientUrl, p.recordedAt(), p.pain());
            JsonArray components = new JsonArray();
            component(components, "Sleep quality (0-10, 10 best)", p.sleepQuality());
            component(components, "Stress (0-10)", p.stress());
            component(components, "Mood (0-10, 10 best)", p.mood());
            component(components, "Anxiety (0-10)", p.anxiety());
            if (p.headache() != null) {
                components.add(new JsonObject()
                        .put("code", new JsonObject().put("text", "Headache"))
                        .put("valueBoolean", p.headache()));
            }
            if (!components.isEmpty()) {
                o.put("component", components);
            }
            entries.add(entry("urn:uuid:" + p.eventId(), o));
        } else if (event instanceof Session s) {
            String procedureUrl = "urn:uuid:" + s.eventId();
            Instant end = s.startedAt().plusSeconds(60L * s.durationMinutes());
            JsonObject procedure = new JsonObject()
                    .put("resourceType", "Procedure")
                    .put("identifier", identifier(s.eventId()))
                    .put("status", "completed")
                    .put(
                            "code",
                            new JsonObject()
                                    .put(
                                            "text",
                                            Catalogue.byId(s.technique())
                                                    .map(Technique::name)
                                                    .orElse(s.technique())))
                    .put("subject", new JsonObject().put("reference", patientUrl))
                    .put(
                            "performedPeriod",
                            new JsonObject()
                                    .put("start", s.startedAt().toString())
                                    .put("end", end.toString()));
            if (s.bodyArea() != null) {
                procedure.put("bodySite", new JsonArray().add(new JsonObject().put("text", s.bodyArea())));
            }
            procedure.put("note", new JsonArray().add(new JsonObject().put("text", note(s))));
            entries.add(entry(procedureUrl, procedure));
            for (boolean before : new boolean[] {true, false}) {
                String id = urn(s.eventId() + (before ? " before" : " after"));
                JsonObject o = pain(
                                null, patientUrl, before ? s.startedAt() : end, before ? s.painBefore() : s.painAfter())
                        .put("partOf", new JsonArray().add(new JsonObject().put("reference", procedureUrl)));
                o.getJsonObject("code").put("text", "Pain severity " + (before ? "before" : "after") + " the session");
                entries.add(entry(id, o));
            }
        }
        return entries;
    }

    private static String note(Session s) {
        StringBuilder b = new StringBuilder("provider: ").append(s.provider().id());
        if (s.intensity() != null) {
            b.append("; intensity: ").append(s.intensity().id());
        }
        if (s.costCents() != null) {
            b.append("; cost: ")
                    .append(s.costCents())
                    .append(" minor units of ")
                    .append(s.currency());
        }
        if (s.cohort() != null) {
            b.append("; cohort: ").append(s.cohort());
        }
        return b.toString();
    }

    private static JsonObject pain(String eventId, String patientUrl, Instant at, int value) {
        JsonObject o = new JsonObject().put("resourceType", "Observation");
        if (eventId != null) {
            o.put("identifier", identifier(eventId));
        }
        return o.put("status", "final")
                .put(
                        "category",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put(
                                                "coding",
                                                new JsonArray()
                                                        .add(new JsonObject()
                                                                .put(
                                                                        "system",
                                                                        "http://terminology.hl7.org/CodeSystem/observation-category")
                                                                .put("code", "survey")
                                                                .put("display", "Survey")))))
                .put(
                        "code",
                        new JsonObject()
                                .put(
                                        "coding",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("system", LOINC)
                                                        .put("code", PAIN_CODE)
                                                        .put("display", PAIN_DISPLAY)))
                                .put("text", "Pain severity"))
                .put("subject", new JsonObject().put("reference", patientUrl))
                .put("effectiveDateTime", at.toString())
                .put("valueInteger", value);
    }

    private static void component(JsonArray components, String text, Integer value) {
        if (value != null) {
            components.add(new JsonObject()
                    .put("code", new JsonObject().put("text", text))
                    .put("valueInteger", value));
        }
    }

    private static JsonArray identifier(String eventId) {
        return new JsonArray().add(new JsonObject().put("system", EVENT_IDS).put("value", eventId));
    }

    private static JsonObject entry(String fullUrl, JsonObject resource) {
        return new JsonObject().put("fullUrl", fullUrl).put("resource", resource);
    }

    /** A stable urn:uuid for a resource that has no id of its own (name-based, version 3). */
    private static String urn(String name) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
