package io.painjournal.analytics.query;

import io.painjournal.analytics.cohorts.ArmReader.Arm;
import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.privacy.BoundedResearch;
import io.painjournal.analytics.topology.AnalyticsSerdes;
import io.painjournal.web.Access;
import io.painjournal.web.Problem;
import io.painjournal.web.Responses;
import io.painjournal.web.Route;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/**
 * The service-to-service routes (the server side of {@link InternalApi}) with which peers and api-only
 * processes read this instance's partitions, or a user's rows wherever they are.
 */
public final class InternalRoutes {

    private final LocalState local;
    private final ClusterState cluster;

    public InternalRoutes(LocalState local, ClusterState cluster) {
        this.local = local;
        this.cluster = cluster;
    }

    /** The route table. */
    public List<Route> routes() {
        return List.of(
                Route.get(
                        InternalApi.INSTANCES,
                        Access.INTERNAL,
                        ctx -> Responses.json(
                                ctx, 200, new JsonObject().put("instances", new JsonArray(cluster.instanceUrls())))),
                Route.get(InternalApi.AGGREGATES, Access.INTERNAL, this::aggregatesPage),
                Route.get(InternalApi.JOURNALS + ":userId", Access.INTERNAL, this::journalOf),
                Route.get(InternalApi.ARMS, Access.INTERNAL, this::armOf),
                Route.get(InternalApi.TRIAL_PAIRS, Access.INTERNAL, this::trialPairsOf),
                Route.get(InternalApi.EXPORTS + ":userId", Access.INTERNAL, this::exportOf),
                Route.get(InternalApi.BOUNDED_RESEARCH, Access.INTERNAL, this::boundedOf));
    }

    private void aggregatesPage(RoutingContext ctx) {
        String from = ctx.request().getParam("from", "");
        String to = ctx.request().getParam("to", AggregateKey.END);
        String after = ctx.request().getParam("after");
        Integer limit = parsed(ctx, InternalApi::limitFrom);
        if (limit == null) {
            return;
        }
        local.aggregates()
                .page(from, to, after, limit)
                .onSuccess(rows -> ctx.response()
                        .putHeader("Content-Type", InternalApi.SMILE)
                        .end(InternalApi.rowsBody(rows)))
                .onFailure(e -> Responses.unavailable(ctx, 1, e.getMessage()));
    }

    /** This instance's trials of a pair (its partitions only: the caller puts every instance's together). */
    private void trialPairsOf(RoutingContext ctx) {
        List<String> pair = parsed(ctx, InternalApi::pairFrom);
        if (pair != null) {
            smile(ctx, local.trialPairs(pair));
        }
    }

    /** This instance's share of a study arm (its partitions only: the caller adds every instance's up). */
    private void armOf(RoutingContext ctx) {
        Arm arm = parsed(ctx, InternalApi::armFrom);
        if (arm != null) {
            smile(ctx, local.arm(arm));
        }
    }

    /** This instance's partitions' bounded research sums (the input of a {@code privacy=dp} export). */
    private void boundedOf(RoutingContext ctx) {
        BoundedResearch.Query q = parsed(ctx, InternalApi::boundedFrom);
        if (q != null) {
            smile(ctx, local.bounded(q));
        }
    }

    /** A page of the user's export, from this instance (when forwarded) or from the one that hosts the user. */
    private void exportOf(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        boolean forwarded = forwarded(ctx);
        Integer limit = parsed(ctx, InternalApi::limitFrom);
        if (limit == null) {
            return;
        }
        String after = ctx.request().getParam("after");
        smile(ctx, forwarded ? local.export(userId, after, limit) : cluster.export(userId, after, limit));
    }

    private void journalOf(RoutingContext ctx) {
        String userId = ctx.pathParam("userId");
        (forwarded(ctx) ? local.journal(userId) : cluster.journal(userId))
                .onSuccess(journal -> {
                    if (journal == null) {
                        ctx.response().setStatusCode(404).end();
                    } else {
                        ctx.response()
                                .putHeader("Content-Type", InternalApi.SMILE)
                                .end(Buffer.buffer(
                                        AnalyticsSerdes.journals().serializer().serialize("", journal)));
                    }
                })
                .onFailure(e -> Responses.unavailable(ctx, 1, e.getMessage()));
    }

    /** Whether a peer forwarded the request here because this instance hosts the user. */
    private static boolean forwarded(RoutingContext ctx) {
        return ctx.request().getHeader(InternalApi.FORWARDED_HEADER) != null;
    }

    /** The request parsed, or null after answering 400 with the parser's message. */
    private static <T> T parsed(RoutingContext ctx, Function<HttpServerRequest, T> parse) {
        try {
            return parse.apply(ctx.request());
        } catch (IllegalArgumentException e) {
            Problem.of(400, "Bad Request", e.getMessage()).send(ctx);
            return null;
        }
    }

    /** Answers a read with its Smile encoding, or 503 while the state cannot answer. */
    private static void smile(RoutingContext ctx, Future<?> read) {
        read.onSuccess(value -> ctx.response()
                        .putHeader("Content-Type", InternalApi.SMILE)
                        .end(InternalApi.smile(value)))
                .onFailure(e -> Responses.unavailable(ctx, 1, e.getMessage()));
    }
}
