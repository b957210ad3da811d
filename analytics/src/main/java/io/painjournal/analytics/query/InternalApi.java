package io.painjournal.analytics.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.painjournal.analytics.journal.UserJournal;
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
