package io.painjournal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages follow from the keywords and their values; a keyword the interpreter does not apply is refused
 * when the document is read, never skipped.
 */
class RuleCompilerTest {

    /** A document with one object schema {@code E} whose one optional field {@code f} has {@code schema}. */
    private static ObjectRules withField(String schema) {
        return ObjectRules.of(
                OpenApiDocument.parse("components:\n  schemas:\n"
                        + "    Code: { type: string, pattern: '^[A-Z]{3}$', x-message: a code }\n"
                        + "    Loose: { $ref: '#/components/schemas/Code', maxLength: 3 }\n"
                        + "    E:\n      type: object\n      properties:\n        f: " + schema + "\n"),
                "E");
    }

    private static String message(String schema) {
        return withField(schema).field(0).rule().message();
    }

    @Test
    void messagesFollowFromTheKeywords() {
        assertEquals("must be an integer from 3 to 28", message("{ type: integer, minimum: 3, maximum: 28 }"));
        assertEquals("must be true or false", message("{ type: boolean }"));
        assertEquals("must be one of light, moderate, deep", message("{ enum: [light, moderate, deep] }"));
        assertEquals(
                "must be 1 to 40 characters of a-z, 0-9 or '-'",
                message("{ type: string, pattern: '^[a-z0-9-]{1,40}$' }"));
        assertEquals(ContractMessages.EVENT_ID, message("{ type: string, format: uuid }"));
        assertEquals(ContractMessages.DATE, message("{ type: string, format: date }"));
        assertEquals("a code", message("{ $ref: '#/components/schemas/Code', description: x }"));
        assertEquals("its own words", message("{ type: integer, minimum: 0, maximum: 1, x-message: its own words }"));
    }

    @Test
    void onlyCharacterClassPatternsMakeTheirOwnMessage() {
        assertEquals(Optional.of(ContractMessages.USER_ID), Messages.characters("^[A-Za-z0-9._-]{1,64}$"));
        assertEquals(Optional.of("must be 2 to 3 characters of 'x'"), Messages.characters("^[x]{2,3}$"));
        for (String other : List.of("^[A-Z]{3}$", "^[^a]{1,2}$", "^[\\w]{1,2}$", "^(none|[a-z]{1,4})$")) {
            assertEquals(Optional.empty(), Messages.characters(other), other);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{ type: string, minLength: 1 }",
                "{ type: integer, minimum: 0 }",
                "{ type: integer, minimum: 0, maximum: 1.5 }",
                "{ type: number, minimum: 0, maximum: 1 }",
                "{ type: [integer, 'null'], minimum: 0, maximum: 1 }",
                "{ type: string, pattern: '[a-z]{1,4}' }",
                "{ type: string, pattern: '^[A-Z]{3}$' }",
                "{ type: string, format: email }",
                "{ enum: [1, 2] }",
                "{ type: array, items: { type: boolean } }",
                "{ type: object }",
                "{ type: integer, minimum: 0, maximum: 9, default: 10 }",
                "{ $ref: '#/components/schemas/Code', maxLength: 3 }",
                "{ $ref: '#/components/schemas/Loose' }",
                "{ oneOf: [{ type: boolean }] }"
            })
    void whatIsNotInterpretedIsRefused(String schema) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> withField(schema));
        assertTrue(e.getMessage().contains("E.f"), e.getMessage());
    }

    @Test
    void anObjectIgnoresUnknownFieldsAndRequiresWhatItNames() {
        assertThrows(
                IllegalStateException.class,
                () -> ObjectRules.of(
                        OpenApiDocument.parse("components: { schemas: { E: { type: object, additionalProperties: false,"
                                + " properties: { f: { type: boolean } } } } }"),
                        "E"));
        assertThrows(
                IllegalStateException.class,
                () -> ObjectRules.of(
                        OpenApiDocument.parse("components: { schemas: { E: { type: object, required: [g],"
                                + " properties: { f: { type: boolean } } } } }"),
                        "E"));
    }

    @Test
    void aDefaultIsTheValueOfAnAbsentOrNullField() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectRules rules = withField("{ type: integer, minimum: 3, maximum: 28, default: 7 }");
        assertEquals(7, rules.check(json.createObjectNode()).value("f"));
        ObjectRules beside = withField("{ $ref: '#/components/schemas/Code', default: ABC }");
        assertEquals("ABC", beside.check(json.readTree("{\"f\":null}")).value("f"));
    }
}
