package io.painjournal.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI document of the contract, {@code openapi.yaml} on the class path: the app serves it at
 * {@code /openapi.yaml}, and its {@code components/schemas} are the per-field rules of the events ingest
 * accepts ({@link ObjectRules}). Read once per process.
 */
public final class OpenApiDocument {

    /** Where the document lies on the class path. */
    public static final String RESOURCE = "/openapi.yaml";

    private static final String COMPONENT = "#/components/schemas/";

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** The document of this build, read on first use. */
    public static OpenApiDocument get() {
        return Loaded.DOCUMENT;
    }

    private static final class Loaded {
        static final OpenApiDocument DOCUMENT = load();

        private static OpenApiDocument load() {
            try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }

    /** A document from its YAML text. */
    static OpenApiDocument parse(String yaml) {
        try {
            return new OpenApiDocument(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an OpenAPI document", e);
        }
    }

    /** The schema {@code components/schemas/<name>}. */
    public JsonNode schema(String name) {
        JsonNode schema = root.path("components").path("schemas").get(name);
        if (schema == null) {
            throw new IllegalStateException(RESOURCE + " has no schema " + name);
        }
        return schema;
    }

    /** The component a schema stands for by {@code $ref}, or null for a schema written in place. */
    String componentOf(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) {
            return null;
        }
        if (!ref.isTextual() || !ref.asText().startsWith(COMPONENT)) {
            throw new IllegalStateException(RESOURCE + ": only references to " + COMPONENT + "… are followed: " + ref);
        }
        return ref.asText().substring(COMPONENT.length());
    }
}
