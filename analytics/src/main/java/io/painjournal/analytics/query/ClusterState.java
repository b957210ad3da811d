package io.painjournal.analytics.query;

import io.painjournal.analytics.cohorts.ArmReader.Arm;
import io.painjournal.analytics.cohorts.ArmSums;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.privacy.BoundedResearch;
import io.painjournal.query.Results;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The state of every analytics instance: which instance hosts what (from the Streams group's metadata),
 * every instance's share of an answer collected (this one's from {@link LocalState}, each peer's over
 * {@link InternalApi}, asked in parallel), and a user's rows read wherever the user is.
 */
public final class ClusterState {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final LocalState local;
    private final InternalApi internal;

    /** @param self host:port at which this process's HTTP port is reachable by its peers */
    public ClusterState(KafkaStreams streams, HostInfo self, LocalState local, InternalApi internal) {
        this.streams = streams;
        this.self = self;
        this.local = local;
        this.internal = internal;
    }

    /** Base URLs of every analytics instance, this one included. */
    List<String> instanceUrls() {
        List<String> urls = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            urls.add(url(m.hostInfo()));
        }
        return urls;
    }

    /** Base URLs of every other analytics instance. */
    private List<String> peerUrls() {
        List<String> urls = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(self)) {
                urls.add(url(m.hostInfo()));
            }
        }
        return urls;
    }

    private static String url(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }

    /** This instance's partitions, merged with every other instance's (over HTTP, asked in parallel). */
    public Future<AggregateReader> aggregates() {
        return attempt(() -> {
            LocalState.requireRunning(streams);
            List<AggregateReader> readers = new ArrayList<>();
            readers.add(local.aggregates());
            for (String url : peerUrls()) {
                readers.add(internal.aggregates(url));
            }
            return new MergedAggregateReader(readers);
        });
    }

    /** A study arm over every instance's partitions, this one's and its peers' (asked in parallel). */
    public Future<ArmSums> arm(Arm arm) {
        return everyShare(() -> local.arm(arm), url -> internal.arm(url, arm)).compose(InternalApi::sum);
    }

    /** A pair's trials over every instance's partitions. */
    public Future<io.painjournal.analytics.trials.PairTrials> trialPairs(List<String> pair) {
        return everyShare(() -> local.trialPairs(pair), url -> internal.trialPairs(url, pair))
                .compose(InternalApi::together);
    }

    /** Bounded research sums over every instance's partitions. */
    public Future<Map<String, double[]>> bounded(BoundedResearch.Query q) {
        return everyShare(() -> local.bounded(q), url -> internal.bounded(url, q))
                .compose(InternalApi::merge);
    }

    /** Every instance's share of an answer, asked at once: this one's from its stores, each peer's over HTTP. */
    private <T> Future<List<Future<T>>> everyShare(Supplier<Future<T>> here, Function<String, Future<T>> peer) {
        return attempt(() -> {
            LocalState.requireRunning(streams);
            List<Future<T>> shares = new ArrayList<>();
            shares.add(here.get());
            for (String url : peerUrls()) {
                shares.add(peer.apply(url));
            }
            return shares;
        });
    }

    /** The user's journal, from this instance or from the instance that hosts it. */
    public Future<UserJournal> journal(String userId) {
        return whereverTheUserIs(userId, () -> local.journal(userId), url -> internal.journal(url, userId, true));
    }

    /** A page of the user's export, from this instance or from the instance that hosts it. */
    public Future<Results.ExportPage> export(String userId, String after, int limit) {
        return whereverTheUserIs(
                userId,
                () -> local.export(userId, after, limit),
                url -> internal.export(url, userId, after, limit, true));
    }

    /** Reads the user's rows here if this instance hosts them, else asks the instance that does (forwarded). */
    private <T> Future<T> whereverTheUserIs(String userId, Supplier<Future<T>> here, Function<String, Future<T>> host) {
        return attempt(() -> local.whereIs(userId))
                .compose(where -> self.equals(where.activeHost()) ? here.get() : host.apply(url(where.activeHost())));
    }

    /** The value, or its failure as a failed future (NotReadyException while the state cannot answer). */
    private static <T> Future<T> attempt(Supplier<T> value) {
        try {
            return Future.succeededFuture(value.get());
        } catch (InvalidStateStoreException e) {
            return Future.failedFuture(LocalState.moving(e));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
