package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Provider;
import io.painjournal.catalogue.Technique;
import io.painjournal.events.Intensity;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The event records and the document's request schemas name the same fields, so neither can drift from
 * the other: a field is added to both or to neither. The document's enums are the product's lists.
 */
class DocumentAgreementTest {

    /** The trial's components the server fills in: the path's user, the drawn order, the time of acceptance. */
    private static final Set<String> TRIAL_FROM_SERVER = Set.of("userId", "order", "acceptedAt");

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.get();

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }

    private static Set<String> requiredComponents(Class<? extends Record> type) {
        Set<String> required = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            JsonProperty p = c.getAnnotation(JsonProperty.class);
            if (p == null) {
                p = c.getAccessor().getAnnotation(JsonProperty.class);
            }
            if (p != null && p.required()) {
                required.add(c.getName());
            }
        }
        return required;
    }

    private static List<String> properties(String schema) {
        List<String> names = new ArrayList<>();
        DOCUMENT.schema(schema).get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> required(String schema) {
        Set<String> names = new TreeSet<>();
        DOCUMENT.schema(schema).get("required").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static List<String> enumOf(JsonNode schema) {
        List<String> values = new ArrayList<>();
        String component = DOCUMENT.componentOf(schema);
        (component == null ? schema : DOCUMENT.schema(component)).get("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode property(String schema, String name) {
        return DOCUMENT.schema(schema).get("properties").get(name);
    }

    @Test
    void aSessionHasExactlyTheFieldsOfItsSchemaInTheSameOrder() {
        assertEquals(components(Session.class), properties("Session"));
        assertTrue(requiredComponents(Session.class).containsAll(required("Session")), "a required field is required");
    }

    @Test
    void aPainScoreHasExactlyTheFieldsOfItsSchemaInTheSameOrder() {
        assertEquals(components(PainScore.class), properties("PainScore"));
        assertTrue(requiredComponents(PainScore.class).containsAll(required("PainScore")));
    }

    @Test
    void aTrialHasTheFieldsOfItsRequestAndThoseTheServerFillsIn() {
        Set<String> expected = new TreeSet<>(properties("TrialRequest"));
        expected.addAll(TRIAL_FROM_SERVER);
        assertEquals(expected, new TreeSet<>(components(Trial.class)));
        List<String> requested = new ArrayList<>(components(Trial.class));
        requested.removeAll(TRIAL_FROM_SERVER);
        assertEquals(requested, properties("TrialRequest"), "in the record's order");
        assertTrue(requiredComponents(Trial.class).containsAll(required("TrialRequest")));
    }

    @Test
    void theDocumentsTechniqueIdsAreTheCatalogueInItsOrder() {
        assertEquals(
                Catalogue.TECHNIQUES.stream().map(Technique::id).toList(), enumOf(property("Session", "technique")));
        assertEquals(
                enumOf(property("Session", "technique")),
                enumOf(property("TrialRequest", "techniques").get("items")));
    }

    @Test
    void theDocumentsProvidersAndIntensitiesAreThoseOfTheRecords() {
        assertEquals(
                Arrays.stream(Provider.values()).map(Provider::id).toList(), enumOf(property("Session", "provider")));
        assertEquals(
                Arrays.stream(Intensity.values()).map(Intensity::id).toList(),
                enumOf(property("Session", "intensity")));
    }

    @Test
    void everyFieldOfTheEventSchemasIsInterpreted() {
        for (String schema : List.of("Session", "PainScore", "TrialRequest")) {
            ObjectRules rules = ObjectRules.of(schema);
            Set<String> names = new LinkedHashSet<>();
            for (int i = 0; i < rules.size(); i++) {
                names.add(rules.field(i).name());
            }
            assertEquals(new LinkedHashSet<>(properties(schema)), names, schema);
        }
    }
}
