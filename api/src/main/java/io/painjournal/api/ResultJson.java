package io.painjournal.api;

import io.painjournal.analytics.query.Results;
import io.painjournal.analytics.query.Results.Interval;
import io.painjournal.catalogue.Catalogue;
import io.painjournal.catalogue.Technique;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;

/** The wire form of every analytics answer: field names exactly as in API.md section 4. */
final class ResultJson {

    private ResultJson() {
    }

    static JsonObject catalogue() {
        JsonArray items = new JsonArray();
        for (Technique t : Catalogue.TECHNIQUES) {
            items.add(new JsonObject().put("id", t.id()).put("name", t.name()).put("category", t.category())
                    .put("defaultProvider", t.defaultProvider().id()));
        }
        return new JsonObject().put("techniques", items);
    }

    static JsonObject population(Results.PopulationView v) {
        return new JsonObject().put("techniques", list(v.techniques(), t -> new JsonObject()
                .put("technique", t.technique())
                .put("sessions", t.sessions())
                .put("users", t.users())
                .put("meanReduction", t.meanReduction())
                .put("sdReduction", t.sdReduction())
                .put("ci95", interval(t.ci95()))
                .put("meanPercentReduction", t.meanPercentReduction())
                .put("responderRate", t.responderRate())
                .put("meanDurationMinutes", t.meanDurationMinutes())
                .put("costPerPointCents", t.costPerPointCents())
                .put("followUps", t.followUps())
                .put("meanLastingReduction", t.meanLastingReduction())));
    }

    static JsonObject trend(String technique, List<Results.TrendWeek> weeks) {
        return new JsonObject().put("technique", technique).put("weeks", list(weeks, w -> new JsonObject()
                .put("weekStart", w.weekStart().toString())
                .put("sessions", w.sessions())
                .put("users", w.users())
                .put("meanPainBefore", w.meanPainBefore())
                .put("meanReduction", w.meanReduction())
                .put("responderRate", w.responderRate())));
    }

    static JsonObject personal(Results.PersonalView v) {
        return new JsonObject().put("userId", v.userId()).put("techniques", list(v.techniques(), t -> new JsonObject()
                .put("technique", t.technique())
                .put("sessions", t.sessions())
                .put("meanReduction", t.meanReduction())
                .put("ci95", interval(t.ci95()))
                .put("estimate", t.estimate())
                .put("enoughData", t.enoughData())
                .put("followUps", t.followUps())
                .put("meanLastingReduction", t.meanLastingReduction())));
    }

    static JsonObject personalTrend(Results.PersonalTrendView v) {
        return new JsonObject().put("userId", v.userId()).mergeIn(trend(v.technique(), v.weeks()));
    }

    static JsonObject journal(Results.JournalView v) {
        return new JsonObject().put("userId", v.userId()).put("weeks", list(v.weeks(), w -> new JsonObject()
                .put("weekStart", w.weekStart().toString())
                .put("entries", w.entries())
                .put("meanPain", w.meanPain())
                .put("meanSleepQuality", w.meanSleepQuality())
                .put("meanStress", w.meanStress())
                .put("meanMood", w.meanMood())
                .put("meanAnxiety", w.meanAnxiety())
                .put("headacheDays", w.headacheDays())));
    }

    static final String CSV_HEADER =
            "technique,cohort,weekStart,users,sessions,meanPainBefore,meanReduction,sdReduction,responderRate,suppressed\n";

    static String csvRow(Results.ResearchRow r) {
        return r.technique() + ',' + r.cohort() + ',' + r.weekStart() + ',' + plain(r.users()) + ','
                + plain(r.sessions()) + ',' + plain(r.meanPainBefore()) + ',' + plain(r.meanReduction()) + ','
                + plain(r.sdReduction()) + ',' + plain(r.responderRate()) + ',' + r.suppressed() + '\n';
    }

    static String ndjsonRow(Results.ResearchRow r) {
        return new JsonObject()
                .put("technique", r.technique())
                .put("cohort", r.cohort())
                .put("weekStart", r.weekStart().toString())
                .put("users", r.users())
                .put("sessions", r.sessions())
                .put("meanPainBefore", r.meanPainBefore())
                .put("meanReduction", r.meanReduction())
                .put("sdReduction", r.sdReduction())
                .put("responderRate", r.responderRate())
                .put("suppressed", r.suppressed())
                .encode() + '\n';
    }

    /** Numbers in CSV without exponents; empty for null. */
    private static String plain(Number n) {
        if (n == null) {
            return "";
        }
        return n instanceof Double d ? BigDecimal.valueOf(d).toPlainString() : n.toString();
    }

    private static JsonArray interval(Interval ci) {
        return ci == null ? null : new JsonArray().add(ci.low()).add(ci.high());
    }

    private static <T> JsonArray list(List<T> items, Function<T, JsonObject> render) {
        JsonArray array = new JsonArray();
        items.forEach(i -> array.add(render.apply(i)));
        return array;
    }
}
