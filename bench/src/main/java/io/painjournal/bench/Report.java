package io.painjournal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the figures bench/run gathered ({@code name value} per line) into the table it prints, with each
 * product figure's ratio to the raw limit it is compared with and the target it must meet, and a JSON file.
 * Usage: {@code Report <results.txt> <results.json> <cores> <java version>}.
 */
public final class Report {

    private Report() {}

    public static void main(String[] args) throws Exception {
        Map<String, Double> r = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                r.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        StringBuilder t = new StringBuilder();
        t.append(String.format("%n%s, %s cores, %s%n%n", Instant.now(), args[2], args[3]));
        t.append(String.format("| %-58s | %-46s | %-30s |%n", "measure", "figure", "target"));
        t.append(String.format("|%s|%s|%s|%n", "-".repeat(60), "-".repeat(48), "-".repeat(32)));
        row(
                t,
                "1. raw producer (ProducerPerformance, acks=all, " + fmt(r.get("record_bytes")) + " B sealed)",
                fmt(r.get("raw_producer_records_per_s")) + " records/s",
                "");
        row(
                t,
                "2. raw HTTP: the server's GET /health/live, wrk -c64",
                fmt(r.get("raw_live_rps")) + " req/s, p99 " + fmt2(r.get("raw_live_p99_ms")) + " ms; "
                        + fmt2(r.get("raw_live_cpu_us")) + " µs CPU/req",
                "");
        row(
                t,
                "2b. (reference) Vert.x hello-world, wrk -c64",
                fmt(r.get("raw_http_rps")) + " req/s, p99 " + fmt2(r.get("raw_http_p99_ms")) + " ms",
                "");
        double batchRatio = ratio(r, "batch_events_per_s", "raw_producer_records_per_s");
        row(
                t,
                "3. ingest, batches of 1,000 (POST /v1/events)",
                fmt(r.get("batch_events_per_s")) + " events/s = " + ratioText(batchRatio) + " of 1",
                check(batchRatio >= 0.5, ">= 0.50 of 1"));
        row(
                t,
                "   CPU per event (ingest + analytics, backlog drained)",
                fmt2(r.get("batch_cpu_us_per_event")) + " µs; machine " + fmt(r.get("batch_busy_pct")) + " % busy",
                "");
        double singleRatio = ratio(r, "single_rps", "raw_live_rps");
        Double singleP99 = r.get("single_p99_ms");
        row(
                t,
                "4. ingest, single events (POST /v1/sessions, wrk -c64)",
                fmt(r.get("single_rps")) + " req/s = " + ratioText(singleRatio) + " of 2; p50 "
                        + fmt2(r.get("single_p50_ms")) + " / p99 " + fmt2(singleP99) + " ms",
                check(singleRatio >= 0.4 && singleP99 != null && singleP99 < 50, ">= 0.40 of 2, p99 < 50 ms"));
        row(
                t,
                "   CPU per event (+ analytics, drained); per request",
                fmt2(r.get("single_cpu_us_per_event")) + " µs; " + fmt2(r.get("single_cpu_us_per_request"))
                        + " µs; machine " + fmt(r.get("single_busy_pct")) + " % busy",
                "");
        openLoop(t, r, "open_", "5. open-loop single events at half of 4 (CO-corrected)", true);
        openLoop(t, r, "e2e_", "5b. the same at 0.8 of what 4 sustained end to end (a reference)", false);
        openLoop(
                t,
                r,
                "adm_",
                "5c. as 5, admission control on (INGEST_MAX_ANALYTICS_LAG=" + fmt(r.get("adm_max_analytics_lag")) + ")",
                true);
        for (String[] read : new String[][] {
            {"population", "GET /v1/techniques"},
            {"personal", "GET /v1/users/{u}/techniques"},
            {"trial", "GET /v1/users/{u}/trials/{id}"}
        }) {
            String p = "read_" + read[0] + "_";
            double readRatio = ratio(r, p + "rps", "raw_live_rps");
            Double p99 = r.get(p + "p99_ms");
            row(
                    t,
                    "6. reads: " + read[1],
                    fmt(r.get(p + "rps")) + " req/s = " + ratioText(readRatio) + " of 2; p99 " + fmt2(p99) + " ms; "
                            + fmt2(r.get(p + "cpu_us")) + " µs CPU/req",
                    check(readRatio >= 0.8 && p99 != null && p99 < 20, ">= 0.80 of 2, p99 < 20 ms"));
        }
        scale(t, r);
        Double ready = r.get("start_to_ready_ms");
        Double rss = r.get("idle_rss_mb");
        row(
                t,
                "8. start: all-in-one jar to ready; idle RSS",
                fmt(ready) + " ms; " + fmt(rss) + " MB",
                check(ready != null && ready < 8000 && rss != null && rss < 512, "< 8 s, < 512 MB"));
        Double killed = r.get("kill9_restart_ms");
        row(
                t,
                "9. restart after kill -9 (same data directory) to ready",
                fmt(killed) + " ms",
                check(killed != null && killed < 15000, "< 15 s"));
        t.append(String.format(
                "%nanalytics backlog after the batches: %s s, after the single events: %s s; non-2xx answers: single %s,"
                        + " reads %s/%s/%s%n",
                fmt2(r.get("backlog_seconds")),
                fmt2(r.get("single_backlog_seconds")),
                fmt(r.get("single_non2xx")),
                fmt(r.get("read_population_non2xx")),
                fmt(r.get("read_personal_non2xx")),
                fmt(r.get("read_trial_non2xx"))));
        System.out.print(t);

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode()
                .put("measuredAt", Instant.now().toString())
                .put("cores", Integer.parseInt(args[2]))
                .put("java", args[3]);
        ObjectNode figures = root.putObject("figures");
        r.forEach(figures::put);
        root.putObject("ratios")
                .put("batchesToRawProducer", batchRatio)
                .put("singleToRawHttp", singleRatio)
                .put("populationReadsToRawHttp", ratio(r, "read_population_rps", "raw_live_rps"))
                .put("personalReadsToRawHttp", ratio(r, "read_personal_rps", "raw_live_rps"))
                .put("trialReadsToRawHttp", ratio(r, "read_trial_rps", "raw_live_rps"))
                .put("liveToHelloWorld", ratio(r, "raw_live_rps", "raw_http_rps"));
        Files.writeString(
                Path.of(args[1]), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        System.out.println("written: " + args[1]);
    }

    /** The rows of one open-loop run ({@code prefix} + OpenLoop's names); {@code targets}: check them. */
    private static void openLoop(StringBuilder t, Map<String, Double> r, String prefix, String title, boolean targets) {
        if (!r.containsKey(prefix + "p99_ms")) {
            return;
        }
        Double openP99 = r.get(prefix + "p99_ms");
        row(
                t,
                title,
                fmt(r.get(prefix + "achieved_per_s")) + " of " + fmt(r.get(prefix + "offered_per_s")) + "/s; p50 "
                        + fmt2(r.get(prefix + "p50_ms")) + " / p99 " + fmt2(openP99) + " ms; failed "
                        + fmt(r.get(prefix + "failed")),
                targets ? check(openP99 != null && openP99 < 50, "p99 < 50 ms") : "");
        if (r.getOrDefault(prefix + "refused", 0.0) > 0) {
            row(
                    t,
                    "   refused 503 + Retry-After (not retried by the load); the 202s",
                    fmt(r.get(prefix + "refused")) + "; p50 " + fmt2(r.get(prefix + "accepted_p50_ms")) + " / p99 "
                            + fmt2(r.get(prefix + "accepted_p99_ms")) + " ms",
                    "");
        }
        Double fresh = r.get(prefix + "freshness_p99_ms");
        row(
                t,
                "   freshness through it (202 -> counted in GET), " + fmt(r.get(prefix + "freshness_samples"))
                        + " probes",
                "p50 " + fmt(r.get(prefix + "freshness_p50_ms")) + " / p99 " + fmt(fresh) + " / max "
                        + fmt(r.get(prefix + "freshness_max_ms")) + " ms"
                        + (r.getOrDefault(prefix + "freshness_timed_out", 0.0) > 0
                                ? " (the last timed out at 60 s)"
                                : ""),
                targets ? check(fresh != null && fresh < 1000, "p99 < 1 s") : "");
        row(
                t,
                "   CPU per event (+ analytics, drained)",
                fmt2(r.get(prefix + "cpu_us_per_event")) + " µs; machine " + fmt(r.get(prefix + "busy_pct"))
                        + " % busy",
                "");
    }

    /**
     * Part 7: a row per user count, then the checks: personal-read p99 at the most users within 2x of the
     * fewest, and heap after GC growing less than the users do (it is bounded by configuration).
     */
    private static void scale(StringBuilder t, Map<String, Double> r) {
        java.util.List<Integer> counts = new java.util.ArrayList<>();
        for (String k : r.keySet()) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("scale_(\\d+)_heap_mb").matcher(k);
            if (m.matches()) {
                counts.add(Integer.parseInt(m.group(1)));
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        counts.sort(null);
        for (int n : counts) {
            String p = "scale_" + n + "_";
            row(
                    t,
                    String.format("7. scale, %,d users x %d sessions + %d entries", n, 4, 4),
                    "disk " + fmt(r.get(p + "disk_mb")) + " MB, heap " + fmt(r.get(p + "heap_mb")) + " MB, RSS "
                            + fmt(r.get(p + "rss_mb")) + " MB",
                    "");
            row(
                    t,
                    "   counted after seeding; restart; restore from changelogs",
                    fmt2(r.get(p + "counted_s")) + " s; " + fmt(r.get(p + "restart_ms")) + " ms; "
                            + fmt(r.get(p + "restore_ms")) + " ms",
                    "");
            row(
                    t,
                    "   GET p99: population; personal, random users",
                    fmt2(r.get(p + "population_p99_ms")) + " ms; " + fmt2(r.get(p + "personal_p99_ms")) + " ms ("
                            + fmt(r.get(p + "personal_rps")) + " req/s)",
                    "");
        }
        int low = counts.get(0);
        int high = counts.get(counts.size() - 1);
        double p99Growth = ratio(r, "scale_" + high + "_personal_p99_ms", "scale_" + low + "_personal_p99_ms");
        double heapGrowth = ratio(r, "scale_" + high + "_heap_mb", "scale_" + low + "_heap_mb");
        double users = (double) high / low;
        row(
                t,
                String.format("7. growth from %,d to %,d users (x%.0f)", low, high, users),
                String.format("personal p99 x%.2f; heap x%.2f", p99Growth, heapGrowth),
                check(p99Growth <= 2 && heapGrowth <= users, "p99 <= x2; heap <= linear"));
    }

    private static void row(StringBuilder t, String measure, String figure, String target) {
        t.append(String.format("| %-58s | %-46s | %-30s |%n", measure, figure, target));
    }

    private static double ratio(Map<String, Double> r, String part, String whole) {
        Double p = r.get(part);
        Double w = r.get(whole);
        return p == null || w == null || w == 0 ? Double.NaN : p / w;
    }

    private static String check(boolean met, String target) {
        return (met ? "met: " : "NOT met: ") + target;
    }

    private static String ratioText(double ratio) {
        return Double.isNaN(ratio) ? "?" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String fmt(Double v) {
        return v == null ? "?" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmt2(Double v) {
        return v == null ? "?" : String.format(Locale.ROOT, "%.1f", v);
    }
}
