package io.painjournal.ingest.cloudevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.json.Mappers;
import io.painjournal.validation.EventValidator;
import io.painjournal.validation.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * CloudEvents 1.0.2 at {@code POST /v1/events} (API.md section 2): which mode a request is in, and each
 * CloudEvent turned into the batch item it stands for ({@code type} and the fields of {@code data}, with the
 * {@code eventId} its {@code source} and {@code id} name), or the errors naming the attribute that breaks the
 * spec or the contract. The CloudEvents SDK checks what the spec says of the event (its JSON format and its HTTP
 * binding); the attributes this contract relies on are checked here first, so an error names them. Pure.
 */
public final class CloudEventsIn {

    public static final String STRUCTURED = "application/cloudevents+json";
    public static final String BATCH = "application/cloudevents-batch+json";
    public static final String SESSION_TYPE = "io.painjournal.session.v1";
    public static final String PAIN_SCORE_TYPE = "io.painjournal.pain-score.v1";
    /** RFC 4122's URL namespace, of the name-based (version 5) event ids. */
    static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    private static final JsonFormat FORMAT = new JsonFormat();

    private CloudEventsIn() {}

    public enum Mode {
        /** One event, {@code application/cloudevents+json}. */
        STRUCTURED,
        /** A JSON array of events, {@code application/cloudevents-batch+json}. */
        BATCH,
        /** Attributes in {@code ce-*} headers, the body is {@code data}. */
        BINARY,
        /** Not a CloudEvent: the contract's own batch. */
        NONE
    }

    /**
     * The mode, by the media type (exactly: the batch type also starts with {@code application/cloudevents}) and,
     * for binary mode, the {@code ce-specversion} header.
     */
    public static Mode mode(String contentType, boolean hasSpecVersionHeader) {
        String media = mediaType(contentType);
        if (media.equals(BATCH)) {
            return Mode.BATCH;
        }
        if (media.equals(STRUCTURED)) {
            return Mode.STRUCTURED;
        }
        return hasSpecVersionHeader ? Mode.BINARY : Mode.NONE;
    }

    /** The media type without parameters, in lower case ({@code "application/json"} of {@code "Application/JSON; charset=utf-8"}). */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    /** A structured-mode event (or one item of a batch): the batch item it stands for, or its errors. */
    public static Item structured(JsonNode event) {
        if (event == null || !event.isObject()) {
            return Item.invalid(null, List.of(new FieldError("", "must be a CloudEvent: a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        String specVersion = attribute(event, "specversion", errors);
        String id = attribute(event, "id", errors);
        String source = attribute(event, "source", errors);
        String type = attribute(event, "type", errors);
        checkSpecVersion(specVersion, "specversion", errors);
        String ourType = ourType(type, "type", errors);
        checkContentType(event.path("datacontenttype"), "datacontenttype", errors);
        if (event.has("data_base64")) {
            errors.add(new FieldError("data_base64", "is not accepted: data must be a JSON object"));
        }
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            errors.add(new FieldError(
                    "data", "is required: the " + (ourType == null ? "event" : ourType) + " as a JSON object"));
        }
        String eventId = id == null || source == null ? null : eventId(source, id);
        if (errors.isEmpty()) {
            try {
                FORMAT.deserialize(Mappers.JSON.writeValueAsBytes(event)); // every rule of the spec's JSON format
            } catch (Exception e) {
                errors.add(new FieldError("", "is not a valid CloudEvent: " + e.getMessage()));
            }
        }
        return item(eventId, ourType, data, errors);
    }

    /**
     * A binary-mode event: attributes from the {@code ce-*} headers (names in lower case), {@code data} the body of
     * content type {@code contentType}.
     */
    public static Item binary(Map<String, String> headers, String contentType, byte[] body) {
        List<FieldError> errors = new ArrayList<>();
        String specVersion = header(headers, "ce-specversion", errors);
        String id = header(headers, "ce-id", errors);
        String source = header(headers, "ce-source", errors);
        String type = header(headers, "ce-type", errors);
        checkSpecVersion(specVersion, "ce-specversion", errors);
        String ourType = ourType(type, "ce-type", errors);
        String media = mediaType(contentType);
        if (!media.equals("application/json")) {
            errors.add(new FieldError("Content-Type", "must be application/json: data is the event as a JSON object"));
        }
        JsonNode data = null;
        try {
            data = Mappers.JSON.readTree(body);
        } catch (Exception e) {
            errors.add(new FieldError("data", "is not JSON: " + e.getMessage()));
        }
        if (data != null && !data.isObject()) {
            errors.add(new FieldError("data", "must be the event as a JSON object"));
        }
        String eventId = id == null || source == null ? null : eventId(source, id);
        if (errors.isEmpty()) {
            try {
                Map<String, String> all = new java.util.HashMap<>(headers);
                all.put("content-type", contentType);
                MessageReader reader = HttpMessageFactory.createReader(all, body);
                reader.toEvent(); // the HTTP binding's rules
            } catch (Exception e) {
                errors.add(new FieldError("", "is not a valid CloudEvent: " + e.getMessage()));
            }
        }
        return item(eventId, ourType, data, errors);
    }

    /**
     * The event's eventId: {@code id} itself when it is a UUID (in canonical form), else the name-based UUID
     * (version 5, URL namespace) of {@code source + " " + id}: {@code source} and {@code id} are the idempotency
     * key, as the spec intends.
     */
    public static String eventId(String source, String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        if (EventValidator.isUuid(lower)) {
            return lower;
        }
        return nameBased(URL_NAMESPACE, source + " " + id).toString();
    }

    /** RFC 4122 section 4.3, with SHA-1 (version 5). */
    static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        java.nio.ByteBuffer ns = java.nio.ByteBuffer.allocate(16);
        ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // the RFC 4122 variant
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(hash, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    private static Item item(String eventId, String ourType, JsonNode data, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            return Item.invalid(eventId, errors);
        }
        JsonNode given = data.get("eventId");
        if (given != null
                && !(given.isTextual()
                        && given.asText().toLowerCase(Locale.ROOT).equals(eventId))) {
            return Item.invalid(
                    eventId,
                    List.of(new FieldError(
                            "data.eventId", "must be absent or equal " + eventId + ", the id its source and id name")));
        }
        ObjectNode node = ((ObjectNode) data).deepCopy();
        node.put("type", ourType);
        node.put("eventId", eventId);
        return new Item(eventId, node, List.of());
    }

    private static String attribute(JsonNode event, String name, List<FieldError> errors) {
        JsonNode v = event.get(name);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(name, "is required"));
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            errors.add(new FieldError(name, "must be a non-empty string"));
            return null;
        }
        return v.asText();
    }

    private static String header(Map<String, String> headers, String name, List<FieldError> errors) {
        String v = headers.get(name);
        if (v == null || v.isEmpty()) {
            errors.add(new FieldError(name, "is required (a header of a binary-mode CloudEvent)"));
            return null;
        }
        return v;
    }

    private static void checkSpecVersion(String specVersion, String field, List<FieldError> errors) {
        if (specVersion != null && !specVersion.equals("1.0")) {
            errors.add(new FieldError(field, "must be 1.0"));
        }
    }

    private static String ourType(String type, String field, List<FieldError> errors) {
        if (type == null) {
            return null;
        }
        if (type.equals(SESSION_TYPE)) {
            return Session.TYPE;
        }
        if (type.equals(PAIN_SCORE_TYPE)) {
            return PainScore.TYPE;
        }
        errors.add(new FieldError(field, "must be " + SESSION_TYPE + " or " + PAIN_SCORE_TYPE));
        return null;
    }

    private static void checkContentType(JsonNode v, String field, List<FieldError> errors) {
        if (!v.isMissingNode()
                && !v.isNull()
                && !(v.isTextual() && mediaType(v.asText()).equals("application/json"))) {
            errors.add(new FieldError(field, "must be application/json when present"));
        }
    }

    /**
     * One CloudEvent read: the batch item it stands for ({@code node}, null when invalid), its eventId when its
     * {@code source} and {@code id} are known, and its errors (empty when valid).
     */
    public record Item(String eventId, ObjectNode node, List<FieldError> errors) {
        static Item invalid(String eventId, List<FieldError> errors) {
            return new Item(eventId, null, List.copyOf(errors));
        }
    }
}
