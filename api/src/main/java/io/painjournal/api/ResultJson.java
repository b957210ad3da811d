package io.painjournal.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Technique;
import io.painjournal.json.Mappers;
import io.painjournal.query.Results;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The wire form of every analytics answer: the {@link Results} records as Jackson writes them, so the
 * field names of API.md section 4 are the records' component names and nothing here lists them.
 * ({@code asOf} is made to the millisecond, by analytics.) The research export's CSV columns are
 * {@link Results.ResearchRow}'s components, in order.
 */
final class ResultJson {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final RecordComponent[] RESEARCH_COLUMNS = Results.ResearchRow.class.getRecordComponents();
    private static final MethodHandle[] RESEARCH_VALUES = Arrays.stream(RESEARCH_COLUMNS)
            .map(c -> {
                try {
                    return MethodHandles.publicLookup().unreflect(c.getAccessor());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            })
            .toArray(MethodHandle[]::new);

    static final String CSV_HEADER =
            Arrays.stream(RESEARCH_COLUMNS).map(RecordComponent::getName).collect(Collectors.joining(",", "", "\n"));

    private ResultJson() {}

    /** An answer (one of the {@code *View} records) as its JSON object. */
    static JsonObject of(Object view) {
        return new JsonObject(Mappers.JSON.convertValue(view, MAP));
    }

    /** The answer without its {@code asOf}: what "changed" compares. */
    static String content(Object view) {
        JsonObject json = of(view);
        json.remove("asOf");
        return json.encode();
    }

    static JsonObject catalogue() {
        JsonArray items = new JsonArray();
        for (Technique t : Catalogue.TECHNIQUES) {
            items.add(new JsonObject()
                    .put("id", t.id())
                    .put("name", t.name())
                    .put("category", t.category())
                    .put("defaultProvider", t.defaultProvider().id()));
        }
        return new JsonObject().put("techniques", items);
    }

    static String csvRow(Results.ResearchRow r) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < RESEARCH_VALUES.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            try {
                line.append(plain(RESEARCH_VALUES[i].invoke(r)));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        return line.append('\n').toString();
    }

    static String ndjsonRow(Results.ResearchRow r) {
        return of(r).encode() + '\n';
    }

    /** Numbers in CSV without exponents; empty for null; anything else as its text. */
    private static String plain(Object v) {
        if (v == null) {
            return "";
        }
        return v instanceof Double d ? BigDecimal.valueOf(d).toPlainString() : v.toString();
    }
}
