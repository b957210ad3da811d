package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.analytics.topology.AnalyticsSerdes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service-to-service protocol between analytics instances and api-only processes: paths, the
 * token header, the wire form of aggregate rows and journals, and a small blocking client (called
 * from worker threads only).
 */
public final class InternalApi {

    public static final String TOKEN_HEADER = "X-Internal-Token";
    public static final String INSTANCES = "/internal/v1/instances";
    public static final String AGGREGATES = "/internal/v1/aggregates";
    public static final String JOURNALS = "/internal/v1/journals/";
    /** Set on a forwarded journal request, so it is answered locally or refused, never forwarded again. */
    public static final String FORWARDED_HEADER = "X-Forwarded-Internal";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final String token;

    public InternalApi(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    // --- wire form ------------------------------------------------------------------------------

    public static JsonObject rowsJson(List<AggregateReader.Row> rows) {
        JsonArray list = new JsonArray();
        for (AggregateReader.Row row : rows) {
            Stats s = row.stats();
            list.add(new JsonObject().put("key", row.key()).put("stats", new JsonArray()
                    .add(s.users()).add(s.sessions()).add(s.sumReduction()).add(s.sumSquares())
                    .add(s.sumPainBefore()).add(s.painfulSessions()).add(s.percentNumerator()).add(s.responders())
                    .add(s.sumDuration()).add(s.costedSessions()).add(s.sumCostCents()).add(s.costRelief())
                    .add(s.followUps()).add(s.lastingMicros())));
        }
        return new JsonObject().put("rows", list);
    }

    static List<AggregateReader.Row> rowsFrom(JsonObject json) {
        List<AggregateReader.Row> rows = new ArrayList<>();
        for (Object o : json.getJsonArray("rows")) {
            JsonObject row = (JsonObject) o;
            JsonArray v = row.getJsonArray("stats");
            long[] n = new long[14];
            for (int i = 0; i < n.length; i++) {
                n[i] = v.getLong(i);
            }
            rows.add(new AggregateReader.Row(row.getString("key"), new Stats(n[0], n[1], n[2], n[3], n[4], n[5],
                    n[6], n[7], n[8], n[9], n[10], n[11], n[12], n[13])));
        }
        return rows;
    }

    // --- client ---------------------------------------------------------------------------------

    /** The base URLs of every analytics instance, as the instance at {@code baseUrl} knows them. */
    public List<String> instances(String baseUrl) {
        JsonObject json = new JsonObject(get(baseUrl + INSTANCES, false));
        List<String> urls = new ArrayList<>();
        json.getJsonArray("instances").forEach(u -> urls.add((String) u));
        return urls;
    }

    /** A reader over the partitions hosted by the instance at {@code baseUrl}. */
    public AggregateReader aggregates(String baseUrl) {
        return (from, to, after, limit) -> {
            String url = baseUrl + AGGREGATES + "?from=" + enc(from) + "&to=" + enc(to) + "&limit=" + limit
                    + (after == null ? "" : "&after=" + enc(after));
            return rowsFrom(new JsonObject(get(url, false)));
        };
    }

    /** The user's journal from the instance at {@code baseUrl} (which forwards to the owner); null if none. */
    public UserJournal journal(String baseUrl, String userId, boolean forwarded) {
        HttpResponse<byte[]> r = getBytes(baseUrl + JOURNALS + enc(userId), forwarded);
        return r.statusCode() == 404 ? null : AnalyticsSerdes.journals().deserializer().deserialize("", r.body());
    }

    private String get(String url, boolean forwarded) {
        return new String(getBytes(url, forwarded).body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> getBytes(String url, boolean forwarded) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().header(TOKEN_HEADER, token);
        if (forwarded) {
            b.header(FORWARDED_HEADER, "1");
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 && r.statusCode() != 404) {
                throw new NotReadyException("analytics instance " + url + " answered " + r.statusCode(), null);
            }
            return r;
        } catch (IOException e) {
            throw new NotReadyException("analytics instance unreachable: " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReadyException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
