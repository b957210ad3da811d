package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The population of personal trials over HTTP (API.md section 8): six people run a trial of MELT and the tennis
 * ball (three asked in the other order), each with an effect of their own planted in their sessions; the summary
 * is checked against DerSimonian–Laird worked out here from the posted reductions, in both orientations; then
 * people are forgotten until fewer than k trials are left and the summary is suppressed.
 */
class TrialSummaryEndToEndTest {

    static final String MELT = "melt";
    static final String BALL = "tennis-ball";
    static final double Z = 1.959964;

    @Test
    void theTrialsOfAPairPoolAsTheOracleAndLeaveWithTheirUsers(@TempDir Path dataDir) throws Exception {
        String admin = TestJwt.token("ops", "admin");
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(60);
        Random random = new Random(35);
        try (Application app = TestApps.start(TestApps.env(dataDir))) {
            TestHttp http = new TestHttp(app.config().httpPort());
            assertEquals(
                    400,
                    http.get("/v1/trials/summary?techniques=melt,melt", admin).status());
            assertEquals(
                    400, http.get("/v1/trials/summary?techniques=melt", admin).status());
            TestHttp.Response unknown = http.get("/v1/trials/summary?techniques=melt,reiki", admin);
            assertEquals(400, unknown.status());
            assertTrue(unknown.body().contains("techniques[1]"), unknown.body());

            Map<String, double[]> differences = new java.util.TreeMap<>(); // user → melt − ball per pair
            for (int u = 0; u < 6; u++) {
                String user = "pooled-" + u;
                List<String> techniques = u % 2 == 0 ? List.of(MELT, BALL) : List.of(BALL, MELT);
                String trialId = UUID.randomUUID().toString();
                assertEquals(
                        202,
                        http.postJson(
                                        "/v1/users/" + user + "/trials",
                                        admin,
                                        "{\"trialId\":\"" + trialId + "\",\"techniques\":[\"" + techniques.get(0)
                                                + "\",\"" + techniques.get(1) + "\"],\"startDate\":\"" + start
                                                + "\",\"periodDays\":6,\"pairs\":3,\"washoutDays\":1}")
                                .status());
                JsonNode trial = awaitTrial(
                        http, admin, user, trialId, t -> t.get("periods").size() == 6);
                double effect = 0.5 * u - 0.5; // how much more MELT helps this person
                double[] perPeriod = new double[6];
                for (JsonNode period : trial.get("periods")) {
                    int p = period.get("index").asInt();
                    boolean melt = period.get("technique").asText().equals(MELT);
                    int reduction = (int) Math.round(3 + (melt ? effect : 0) + random.nextGaussian());
                    reduction = Math.max(0, Math.min(8, reduction));
                    perPeriod[p] = reduction;
                    String at = LocalDate.parse(period.get("washoutEnd").asText())
                            .atStartOfDay(ZoneOffset.UTC)
                            .plusHours(10)
                            .toInstant()
                            .toString();
                    String body = IngestEndToEndTest.session(UUID.randomUUID().toString(), user, "")
                            .replace(
                                    "\"tennis-ball\"",
                                    "\"" + period.get("technique").asText() + "\"")
                            .replace("2026-11-20T19:30:00+01:00", at)
                            .replace("\"painBefore\":7", "\"painBefore\":8")
                            .replace("\"painAfter\":4", "\"painAfter\":" + (8 - reduction));
                    assertEquals(202, http.postJson("/v1/sessions", admin, body).status(), body);
                }
                double[] d = new double[3];
                for (JsonNode period : trial.get("periods")) {
                    int p = period.get("index").asInt();
                    double sign = period.get("technique").asText().equals(MELT) ? 1 : -1;
                    d[period.get("pair").asInt()] += sign * perPeriod[p];
                }
                differences.put(user, d);
                awaitTrial(
                        http,
                        admin,
                        user,
                        trialId,
                        t -> t.get("result").get("pairsComplete").asInt() == 3);
            }

            JsonNode summary = awaitSummary(http, admin, MELT + "," + BALL, 6);
            checkPosterior(http, admin, "pooled-1", differences);
            checkReport(app, admin, "pooled-1", summary);
            check(summary, differences, 1);
            check(awaitSummary(http, admin, BALL + "," + MELT, 6), differences, -1);
            assertEquals(
                    List.of(MELT, BALL),
                    List.of(
                            summary.get("techniques").get(0).asText(),
                            summary.get("techniques").get(1).asText()));

            // forgotten: their trials leave the summary; below k = 5 it is suppressed
            assertEquals(202, http.delete("/v1/users/pooled-0", admin).status());
            differences.remove("pooled-0");
            check(awaitSummary(http, admin, MELT + "," + BALL, 5), differences, 1);
            assertEquals(202, http.delete("/v1/users/pooled-1", admin).status());
            TestApps.await("suppressed below k", Duration.ofSeconds(30), () -> {
                JsonNode s = http.get("/v1/trials/summary?techniques=melt,tennis-ball", admin)
                        .json();
                return s.get("suppressed").asBoolean()
                        && s.get("trials").isNull()
                        && s.get("meanDifference").isNull();
            });
        }
    }

    /** DerSimonian–Laird from the posted reductions, each user's n = 3 pairs, oriented by {@code sign}. */
    static void check(JsonNode summary, Map<String, double[]> differences, int sign) {
        double[] pooled = pooled(differences, sign);
        double mu = pooled[0];
        double tau2 = pooled[1];
        double se = pooled[2];
        double q = pooled[3];
        double pred = Math.sqrt(tau2 + se * se);
        var z = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
        assertEquals(false, summary.get("suppressed").asBoolean(), summary.toString());
        assertEquals(differences.size(), summary.get("trials").asInt());
        assertEquals(mu, summary.get("meanDifference").asDouble(), 1e-9, summary.toString());
        assertEquals(mu - Z * se, summary.get("ci95").get(0).asDouble(), 1e-9);
        assertEquals(mu + Z * se, summary.get("ci95").get(1).asDouble(), 1e-9);
        assertEquals(Math.sqrt(tau2), summary.get("betweenPersonSd").asDouble(), 1e-9);
        assertEquals(mu + Z * pred, summary.get("predictionInterval95").get(1).asDouble(), 1e-9);
        assertEquals(
                z.cumulativeProbability((mu - 1) / pred),
                summary.get("shareFirstBetterByOne").asDouble(),
                1e-9);
        assertEquals(
                z.cumulativeProbability((-1 - mu) / pred),
                summary.get("shareSecondBetterByOne").asDouble(),
                1e-9);
        assertEquals(q, summary.get("heterogeneityQ").asDouble(), 1e-9);
    }

    /**
     * pooled-1 asked tennis-ball first: its posterior is its own difference (ball − melt) combined with the five
     * other people's trials pooled as ball − melt, N(μ′, τ′² + se′²).
     */
    static void checkPosterior(TestHttp http, String token, String user, Map<String, double[]> differences) {
        JsonNode trial = http.get("/v1/users/" + user + "/trials", token)
                .json()
                .get("trials")
                .get(0);
        Map<String, double[]> others = new java.util.TreeMap<>(differences);
        double[] mine = others.remove(user);
        double[] prior = pooled(others, -1); // mu, tau2, se
        double own = -(mine[0] + mine[1] + mine[2]) / 3;
        double ss = 0;
        for (double x : mine) {
            ss += (-x - own) * (-x - own);
        }
        double v = Math.max(ss / 2, 0.25) / 3;
        double priorVariance = prior[1] + prior[2] * prior[2];
        double precision = 1 / priorVariance + 1 / v;
        double mean = (prior[0] / priorVariance + own / v) / precision;
        JsonNode p = trial.get("result").get("posterior");
        assertEquals(mean, p.get("mean").asDouble(), 1e-9, trial.toString());
        assertEquals(1 / Math.sqrt(precision), p.get("sd").asDouble(), 1e-9);
        assertEquals(5, p.get("priorTrials").asInt());
    }

    /**
     * The report for a clinician, read back with PDFBox: A4, one or two pages, the font embedded, and every item
     * in words, with this trial's figures and the population's.
     */
    static void checkReport(Application app, String token, String user, JsonNode summary) throws Exception {
        TestHttp http = new TestHttp(app.config().httpPort());
        JsonNode trial = http.get("/v1/users/" + user + "/trials", token)
                .json()
                .get("trials")
                .get(0);
        java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                        + app.config().httpPort() + "/v1/users/" + user + "/trials/"
                                        + trial.get("trialId").asText() + "/report.pdf"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(
                "application/pdf", response.headers().firstValue("Content-Type").orElse(""));
        try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(response.body())) {
            assertTrue(pdf.getNumberOfPages() >= 1 && pdf.getNumberOfPages() <= 2, pdf.getNumberOfPages() + " pages");
            assertEquals(
                    org.apache.pdfbox.pdmodel.common.PDRectangle.A4.getWidth(),
                    pdf.getPage(0).getMediaBox().getWidth(),
                    0.5);
            for (org.apache.pdfbox.cos.COSName name :
                    pdf.getPage(0).getResources().getFontNames()) {
                assertTrue(pdf.getPage(0).getResources().getFont(name).isEmbedded(), "fonts embedded");
            }
            String text =
                    new org.apache.pdfbox.text.PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            JsonNode r = trial.get("result");
            for (String expected : List.of(
                    "Does Tennis-ball technique ease this person's back pain more than MELT method (foam roller and ball)?",
                    "drawn at random by the server",
                    "Period 1 (pair 1)",
                    "Pair 3:",
                    "Over 3 complete pairs",
                    String.format(
                            java.util.Locale.ROOT,
                            "95 %% interval %.2f to %.2f",
                            r.get("ci95").get(0).asDouble(),
                            r.get("ci95").get(1).asDouble()),
                    "Weighed with 5 other people's trials",
                    "Journal pain",
                    "Of 6 people who compared them",
                    "not blinded")) {
                assertTrue(text.contains(expected), "the report says \"" + expected + "\": " + text);
            }
        }
    }

    /** μ, τ², se and Q of DerSimonian–Laird over the users' trials, oriented by {@code sign} (melt − ball is +1). */
    static double[] pooled(Map<String, double[]> differences, int sign) {
        List<double[]> studies = new ArrayList<>();
        for (double[] d : differences.values()) {
            double mean = (d[0] + d[1] + d[2]) / 3;
            double ss = 0;
            for (double x : d) {
                ss += (x - mean) * (x - mean);
            }
            studies.add(new double[] {sign * mean, Math.max(ss / 2, 0.25) / 3});
        }
        double w = 0, w2 = 0, wd = 0;
        for (double[] s : studies) {
            w += 1 / s[1];
            w2 += 1 / (s[1] * s[1]);
            wd += s[0] / s[1];
        }
        double q = 0;
        for (double[] s : studies) {
            q += (s[0] - wd / w) * (s[0] - wd / w) / s[1];
        }
        double tau2 = Math.max(0, (q - (studies.size() - 1)) / (w - w2 / w));
        double ws = 0, wsd = 0;
        for (double[] s : studies) {
            ws += 1 / (s[1] + tau2);
            wsd += s[0] / (s[1] + tau2);
        }
        return new double[] {wsd / ws, tau2, 1 / Math.sqrt(ws), q};
    }

    static JsonNode awaitSummary(TestHttp http, String token, String techniques, int trials) {
        JsonNode[] last = new JsonNode[1];
        TestApps.await(
                trials + " trials in the summary",
                Duration.ofSeconds(30),
                () -> {
                    last[0] = http.get("/v1/trials/summary?techniques=" + techniques, token)
                            .json();
                    return !last[0].get("trials").isNull()
                            && last[0].get("trials").asInt() == trials;
                },
                () -> String.valueOf(last[0]));
        return last[0];
    }

    static JsonNode awaitTrial(
            TestHttp http, String token, String user, String trialId, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        TestApps.await(
                "the trial of " + user,
                Duration.ofSeconds(30),
                () -> {
                    TestHttp.Response r = http.get("/v1/users/" + user + "/trials/" + trialId, token);
                    last[0] = r.status() == 200 ? r.json() : null;
                    return last[0] != null && done.test(last[0]);
                },
                () -> String.valueOf(last[0]));
        return last[0];
    }
}
