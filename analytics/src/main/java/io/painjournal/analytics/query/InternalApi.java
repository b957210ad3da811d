package io.painjournal.analytics.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.painjournal.analytics.cohorts.ArmReader.Arm;
import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.privacy.BoundedResearch;
import io.painjournal.analytics.topology.AnalyticsSerdes;
import io.painjournal.json.Mappers;
import io.painjournal.query.NotReadyException;
import io.painjournal.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service-to-service protocol between analytics instances and api-only processes: paths, the
 * token header, the wire form of aggregate rows and journals (Smile of the records), and a
 * non-blocking client. Every call forwards the {@link RequestIds request id} it is made for.
 */
public final class InternalApi {

    public static final String TOKEN_HEADER = "X-Internal-Token";
    public static final String INSTANCES = "/internal/v1/instances";
    public static final String AGGREGATES = "/internal/v1/aggregates";
    public static final String JOURNALS = "/internal/v1/journals/";
    /** A page of one user's export ({@code after}, {@code limit}), from whichever instance hosts them. */
    public static final String EXPORTS = "/internal/v1/exports/";
    /** One instance's share of a study arm ({@code cohort}, {@code technique}, {@code days}): its {@link ArmSums}. */
    public static final String ARMS = "/internal/v1/arms";
    /** One instance's bounded research sums ({@link BoundedResearch}) for a {@code privacy=dp} export. */
    public static final String BOUNDED_RESEARCH = "/internal/v1/bounded-research";

    private static final TypeReference<Map<String, double[]>> BOUNDED = new TypeReference<>() {};
    /** Set on a forwarded journal request, so it is answered locally or refused, never forwarded again. */
    public static final String FORWARDED_HEADER = "X-Forwarded-Internal";

    public static final String SMILE = "application/x-jackson-smile";
    /** Rows a page of {@link #AGGREGATES} may ask for. */
    public static final int MAX_LIMIT = 5000;

    private static final int TIMEOUT_MS = 5000;
    private static final ObjectWriter ROWS_WRITER =
            Mappers.SMILE.writerFor(new TypeReference<List<AggregateReader.Row>>() {});
    private static final ObjectReader ROWS_READER =
            Mappers.SMILE.readerFor(new TypeReference<List<AggregateReader.Row>>() {});

    private final WebClient client;
    private final String token;

    public InternalApi(Vertx vertx, String token) {
        this.client = WebClient.create(
                vertx, new WebClientOptions().setConnectTimeout(TIMEOUT_MS).setUserAgent("pain-journal-internal"));
        this.token = token;
    }

    // --- wire form ------------------------------------------------------------------------------

    public static Buffer rowsBody(List<AggregateReader.Row> rows) {
        try {
            return Buffer.buffer(ROWS_WRITER.writeValueAsBytes(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code limit} of a page request (default 500); IllegalArgumentException unless 1 to {@link #MAX_LIMIT}. */
    public static int limitFrom(io.vertx.core.http.HttpServerRequest request) {
        int limit;
        try {
            limit = Integer.parseInt(request.getParam("limit", "500"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** One instance's trials of a pair ({@code techniques=a,b}): a {@link io.painjournal.analytics.trials.PairTrials}. */
    public static final String TRIAL_PAIRS = "/internal/v1/trial-pairs";

    /** The pair a request of {@link #TRIAL_PAIRS} asks for; IllegalArgumentException when it is not one. */
    public static List<String> pairFrom(io.vertx.core.http.HttpServerRequest request) {
        String[] ids = request.getParam("techniques", "").split(",", -1);
        if (ids.length != 2 || ids[0].isEmpty() || ids[1].isEmpty() || ids[0].equals(ids[1])) {
            throw new IllegalArgumentException("techniques must be two distinct technique ids");
        }
        return List.of(ids[0], ids[1]);
    }

    /** The instances' trials of a pair together (every share must answer). */
    public static Future<io.painjournal.analytics.trials.PairTrials> together(
            List<Future<io.painjournal.analytics.trials.PairTrials>> shares) {
        return Future.all(shares).map(all -> {
            io.painjournal.analytics.trials.PairTrials sum = io.painjournal.analytics.trials.PairTrials.NONE;
            for (Future<io.painjournal.analytics.trials.PairTrials> share : shares) {
                sum = sum.plus(share.result());
            }
            return sum;
        });
    }

    /** The arm a request of {@link #ARMS} asks for; IllegalArgumentException when it is not one. */
    public static Arm armFrom(io.vertx.core.http.HttpServerRequest request) {
        String cohort = request.getParam("cohort");
        if (cohort == null || cohort.isEmpty()) {
            throw new IllegalArgumentException("cohort is required");
        }
        String technique = request.getParam("technique");
        int days;
        try {
            days = Integer.parseInt(request.getParam("days", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("days must be a whole number");
        }
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("days must be from 1 to 366");
        }
        return new Arm(cohort, technique == null || technique.isEmpty() ? null : technique, days);
    }

    /** The query a request of {@link #BOUNDED_RESEARCH} asks; IllegalArgumentException when it is not one. */
    public static BoundedResearch.Query boundedFrom(io.vertx.core.http.HttpServerRequest request) {
        String cohort = request.getParam("cohort");
        if (cohort == null || cohort.isEmpty()) {
            throw new IllegalArgumentException("cohort is required");
        }
        String technique = request.getParam("technique");
        try {
            return new BoundedResearch.Query(
                    technique == null || technique.isEmpty() ? null : technique,
                    cohort,
                    java.time.LocalDate.parse(request.getParam("from", "")),
                    java.time.LocalDate.parse(request.getParam("to", "")),
                    Integer.parseInt(request.getParam("maxCells", "")),
                    Integer.parseInt(request.getParam("maxSessions", "")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("from and to must be dates, maxCells and maxSessions whole numbers");
        }
    }

    /** The instances' bounded sums added up (every share must answer). */
    public static Future<Map<String, double[]>> merge(List<Future<Map<String, double[]>>> shares) {
        return Future.all(shares)
                .map(all -> BoundedResearch.merge(
                        shares.stream().map(Future::result).toList()));
    }

    /** The instances' shares of an arm added up (every share must answer). */
    public static Future<ArmSums> sum(List<Future<ArmSums>> shares) {
        return Future.all(shares).map(all -> {
            ArmSums sum = ArmSums.ZERO;
            for (Future<ArmSums> share : shares) {
                sum = sum.plus(share.result());
            }
            return sum;
        });
    }

    /** An answer of an internal route: the record in Smile. */
    public static Buffer smile(Object value) {
        try {
            return Buffer.buffer(Mappers.SMILE.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A peer's Smile answer read back; one that does not read is {@link NotReadyException}. */
    private static <T> T fromSmile(Buffer body, TypeReference<T> type, String what) {
        try {
            return Mappers.SMILE.readValue(body.getBytes(), type);
        } catch (IOException e) {
            throw new NotReadyException(
                    "an analytics instance sent " + what + " that does not read: " + e.getMessage(), e);
        }
    }

    static List<AggregateReader.Row> rowsFrom(Buffer body) {
        try {
            return ROWS_READER.readValue(body.getBytes());
        } catch (IOException e) {
            throw new NotReadyException("an analytics instance sent rows that do not read: " + e.getMessage(), e);
        }
    }

    // --- client ---------------------------------------------------------------------------------

    /** The base URLs of every analytics instance, as the instance at {@code baseUrl} knows them. */
    public Future<List<String>> instances(String baseUrl) {
        return get(baseUrl + INSTANCES, false).map(r -> {
            List<String> urls = new ArrayList<>();
            new JsonObject(r.body()).getJsonArray("instances").forEach(u -> urls.add((String) u));
            return urls;
        });
    }

    /** A reader over the partitions hosted by the instance at {@code baseUrl}. */
    public AggregateReader aggregates(String baseUrl) {
        return (from, to, after, limit) -> {
            HttpRequest<Buffer> request = request(baseUrl + AGGREGATES, false)
                    .addQueryParam("from", from)
                    .addQueryParam("to", to)
                    .addQueryParam("limit", Integer.toString(limit));
            if (after != null) {
                request.addQueryParam("after", after);
            }
            return send(request, baseUrl + AGGREGATES).map(r -> rowsFrom(r.body()));
        };
    }

    /** The trials of a pair held by the partitions of the instance at {@code baseUrl}. */
    public Future<io.painjournal.analytics.trials.PairTrials> trialPairs(String baseUrl, List<String> pair) {
        HttpRequest<Buffer> request =
                request(baseUrl + TRIAL_PAIRS, false).addQueryParam("techniques", pair.get(0) + "," + pair.get(1));
        return send(request, baseUrl + TRIAL_PAIRS)
                .map(r -> fromSmile(
                        r.body(),
                        new TypeReference<io.painjournal.analytics.trials.PairTrials>() {},
                        "a pair's trials"));
    }

    /** The share of the arm held by the partitions of the instance at {@code baseUrl}. */
    public Future<ArmSums> arm(String baseUrl, Arm arm) {
        HttpRequest<Buffer> request = request(baseUrl + ARMS, false)
                .addQueryParam("cohort", arm.cohort())
                .addQueryParam("days", Integer.toString(arm.days()));
        if (arm.technique() != null) {
            request.addQueryParam("technique", arm.technique());
        }
        return send(request, baseUrl + ARMS).map(r -> fromSmile(r.body(), new TypeReference<ArmSums>() {}, "an arm"));
    }

    /** The bounded research sums of the partitions of the instance at {@code baseUrl}. */
    public Future<Map<String, double[]>> bounded(String baseUrl, BoundedResearch.Query q) {
        HttpRequest<Buffer> request = request(baseUrl + BOUNDED_RESEARCH, false)
                .addQueryParam("cohort", q.cohort())
                .addQueryParam("from", q.fromWeek().toString())
                .addQueryParam("to", q.toWeek().toString())
                .addQueryParam("maxCells", Integer.toString(q.maxCells()))
                .addQueryParam("maxSessions", Integer.toString(q.maxSessions()));
        if (q.technique() != null) {
            request.addQueryParam("technique", q.technique());
        }
        return send(request, baseUrl + BOUNDED_RESEARCH).map(r -> fromSmile(r.body(), BOUNDED, "sums"));
    }

    /** A page of the user's export from the instance at {@code baseUrl} (which forwards to the owner). */
    public Future<io.painjournal.query.Results.ExportPage> export(
            String baseUrl, String userId, String after, int limit, boolean forwarded) {
        String url = baseUrl + EXPORTS + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest<Buffer> request = request(url, forwarded).addQueryParam("limit", Integer.toString(limit));
        if (after != null) {
            request.addQueryParam("after", after);
        }
        return send(request, url)
                .map(r -> fromSmile(
                        r.body(), new TypeReference<io.painjournal.query.Results.ExportPage>() {}, "an export page"));
    }

    /** The user's journal from the instance at {@code baseUrl} (which forwards to the owner); null if none. */
    public Future<UserJournal> journal(String baseUrl, String userId, boolean forwarded) {
        String url = baseUrl + JOURNALS + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8);
        return get(url, forwarded)
                .map(r -> r.statusCode() == 404
                        ? null
                        : AnalyticsSerdes.journals()
                                .deserializer()
                                .deserialize("", r.body().getBytes()));
    }

    private Future<HttpResponse<Buffer>> get(String url, boolean forwarded) {
        return send(request(url, forwarded), url);
    }

    private HttpRequest<Buffer> request(String url, boolean forwarded) {
        HttpRequest<Buffer> request = client.getAbs(url).timeout(TIMEOUT_MS).putHeader(TOKEN_HEADER, token);
        String requestId = RequestIds.current();
        if (requestId != null) {
            request.putHeader(RequestIds.HEADER, requestId);
        }
        if (forwarded) {
            request.putHeader(FORWARDED_HEADER, "1");
        }
        return request;
    }

    /** 200 and 404 are answers; any other status, or no answer, is {@link NotReadyException}. */
    private static Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, String url) {
        return request.send().transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(new NotReadyException(
                        "analytics instance unreachable: " + url + ": "
                                + ar.cause().getMessage(),
                        ar.cause()));
            }
            int status = ar.result().statusCode();
            return status == 200 || status == 404
                    ? Future.succeededFuture(ar.result())
                    : Future.failedFuture(
                            new NotReadyException("analytics instance " + url + " answered " + status, null));
        });
    }
}
