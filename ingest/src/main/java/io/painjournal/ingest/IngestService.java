package io.painjournal.ingest;

import io.painjournal.events.JournalEvent;
import io.painjournal.events.TrialCancelled;
import io.painjournal.events.UserForgotten;
import io.painjournal.privacy.Pseudonyms;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes validated, authorised events and makes each one durable in Kafka exactly once per ledger key:
 * <ol>
 *   <li>within one request, the first occurrence of a key speaks for it; later ones are duplicates;</li>
 *   <li>across concurrent requests, a key is <em>claimed</em> while its write is under way, and a second
 *       request for it waits for that outcome instead of writing again;</li>
 *   <li>a key the {@link EventLedger} knows is a duplicate; every other event is published, and recorded
 *       in the ledger only after Kafka acknowledged it.</li>
 * </ol>
 * If Kafka does not acknowledge every new event in time the whole submission fails with
 * {@link PublishFailedException}: the client retries it, and what did get through is then a duplicate.
 *
 * <p>The answer waits for Kafka's acknowledgement and for the ledger's record of it. The common case, a few events with new
 * ids from users whose data key is known, is decided and sent on the caller's event loop: the ledger's
 * in-memory filter ({@link EventLedger#surelyNew}) says the ids are new and the producer has room
 * ({@link JournalPublisher#ready}), so no worker thread is involved. Anything else (a possible duplicate, a
 * new user, a large batch) is looked up and sent on a worker. The acknowledged keys are then written to the
 * ledger by the {@link LedgerWriter}, the keys of every request acknowledged meanwhile in one write, and the
 * answer follows that write: a re-post is a duplicate from the moment the 202 is sent, also to a process
 * restarted after {@code kill -9}. Their claims are held until that write, so a re-post meanwhile waits and
 * is a duplicate. More than {@link #MAX_IN_FLIGHT} keys under way is refused with
 * {@link OverloadedException} (503), so a burst cannot fill the producer's buffer; so is every submission
 * while the {@link Admission} refuses (analytics too far behind, {@link AnalyticsBacklog}).
 */
public final class IngestService {

    /** What happened to one submitted event. */
    public enum Outcome {
        ACCEPTED,
        DUPLICATE
    }

    private final Vertx vertx;
    private final JournalPublisher publisher;
    private final EventLedger ledger;
    private final Pseudonyms pseudonyms;
    private final Map<String, Future<Void>> inFlight = new ConcurrentHashMap<>();
    private final LedgerWriter writer;
    private final int maxInFlight;
    private final Admission admission;

    /** Whether a submission may go ahead at all, before anything of it is looked at (e.g. {@link AnalyticsBacklog}). */
    @FunctionalInterface
    public interface Admission {
        /** Admits everything. */
        Admission OPEN = () -> null;

        /** Null to admit; else why not, for the 503's detail (the client retries after {@code Retry-After}). */
        String refusal();
    }

    /** Most keys whose write may be under way at once; beyond it a submission is refused (503). */
    static final int MAX_IN_FLIGHT = 20_000;
    /** Most events a submission may have to be sent from the caller's event loop. */
    static final int MOST_ON_EVENT_LOOP = 16;

    public IngestService(Vertx vertx, JournalPublisher publisher, EventLedger ledger, Pseudonyms pseudonyms) {
        this(vertx, publisher, ledger, pseudonyms, Admission.OPEN);
    }

    public IngestService(
            Vertx vertx, JournalPublisher publisher, EventLedger ledger, Pseudonyms pseudonyms, Admission admission) {
        this(vertx, publisher, ledger, pseudonyms, MAX_IN_FLIGHT, admission);
    }

    IngestService(
            Vertx vertx,
            JournalPublisher publisher,
            EventLedger ledger,
            Pseudonyms pseudonyms,
            int maxInFlight,
            Admission admission) {
        this.vertx = vertx;
        this.admission = admission;
        this.publisher = publisher;
        this.ledger = ledger;
        this.pseudonyms = pseudonyms;
        this.maxInFlight = maxInFlight;
        this.writer = new LedgerWriter(ledger);
    }

    /** Each event's outcome, in the order given. Completes on the caller's context. */
    public Future<List<Outcome>> submit(List<? extends JournalEvent> events) {
        Context context = vertx.getOrCreateContext();
        String refusal = admission.refusal();
        if (refusal != null) {
            return Future.failedFuture(new OverloadedException(refusal));
        }
        if (inFlight.size() + events.size() > maxInFlight) {
            return Future.failedFuture(
                    new OverloadedException("ingest has more than " + maxInFlight + " events under way to Kafka."));
        }
        Promise<List<Outcome>> answer = Promise.promise();
        new Submission(events, context).run().onComplete(ar -> {
            if (Vertx.currentContext() == context) {
                answer.handle(ar);
            } else { // a claim released by another request or by the ledger writer
                context.runOnContext(v -> answer.handle(ar));
            }
        });
        return answer.future();
    }

    /** Whether submissions may go ahead now (also checked by {@link #submit}). */
    public Admission admission() {
        return admission;
    }

    /** Waits for the ledger writes under way (call after the last submission). */
    public void close() {
        writer.close();
    }

    /**
     * Publishes a request to forget the user. It travels on the user's key, so analytics applies it
     * after everything they posted before; the ledger keeps their ids, so a stale re-post stays a duplicate.
     */
    public Future<Void> forget(String userId) {
        Context context = vertx.getOrCreateContext();
        UserForgotten event = new UserForgotten(UUID.randomUUID().toString(), userId, Instant.now());
        return vertx.executeBlocking(() -> publisher.publish(event), false)
                .compose(ack -> Future.fromCompletionStage(ack, context));
    }

    /**
     * Publishes the cancellation of one of the user's trials; completes with false, publishing nothing,
     * when this ingest does not know the trial (never accepted here, or its write failed). A trial whose
     * write is under way (acknowledged, or about to be, but not yet in the ledger: {@link LedgerWriter}) is
     * waited for first, so a cancel right after the trial's 202 finds it.
     */
    public Future<Boolean> cancelTrial(String userId, String trialId) {
        Context context = vertx.getOrCreateContext();
        String key = EventLedger.trialKey(pseudonyms, userId, trialId);
        Future<Void> underWay = inFlight.get(key);
        Future<Void> settled =
                underWay == null ? Future.succeededFuture() : underWay.transform(ar -> Future.succeededFuture());
        return settled.compose(v ->
                        context.executeBlocking(() -> ledger.known(List.of(key)).contains(key), false))
                .compose(known -> {
                    if (!known) {
                        return Future.succeededFuture(false);
                    }
                    TrialCancelled event =
                            new TrialCancelled(UUID.randomUUID().toString(), userId, trialId, Instant.now());
                    return context.executeBlocking(() -> publisher.publish(event), false)
                            .compose(ack -> Future.fromCompletionStage(ack, context))
                            .map(true);
                });
    }

    /** Number of keys whose write is under way ({@code painjournal_ingest_in_flight}). */
    public int inFlight() {
        return inFlight.size();
    }

    /** The state of one {@link #submit} call. */
    private final class Submission {
        private final List<? extends JournalEvent> events;
        private final Context context;
        private final List<String> keys = new ArrayList<>();
        /** For each index, the index of the first event in this submission with the same key. */
        private final int[] primary;
        /** Keys this submission writes (or finds in the ledger), by index. */
        private final Map<Integer, Promise<Void>> claims = new LinkedHashMap<>();
        /** Keys another submission is writing right now, by index. */
        private final Map<Integer, Future<Void>> elsewhere = new LinkedHashMap<>();

        private final Outcome[] outcomes;

        Submission(List<? extends JournalEvent> events, Context context) {
            this.events = events;
            this.context = context;
            this.primary = new int[events.size()];
            this.outcomes = new Outcome[events.size()];
            Map<String, Integer> first = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                String key = EventLedger.key(pseudonyms, events.get(i));
                keys.add(key);
                primary[i] = first.computeIfAbsent(key, k -> keys.size() - 1);
            }
        }

        Future<List<Outcome>> run() {
            for (int i = 0; i < events.size(); i++) {
                if (primary[i] != i) {
                    continue;
                }
                Promise<Void> claim = Promise.promise();
                Future<Void> other = inFlight.putIfAbsent(keys.get(i), claim.future());
                if (other == null) {
                    claims.put(i, claim);
                } else {
                    elsewhere.put(i, other);
                }
            }
            Future<Void> own;
            if (claims.isEmpty()) {
                own = Future.succeededFuture();
            } else {
                List<Integer> indexes = new ArrayList<>(claims.keySet());
                List<String> claimed = indexes.stream().map(keys::get).toList();
                Future<Map<Integer, CompletableFuture<Void>>> sent;
                if (onEventLoop(indexes, claimed)) {
                    try {
                        sent = Future.succeededFuture(send(indexes, Set.of()));
                    } catch (RuntimeException e) {
                        sent = Future.failedFuture(e);
                    }
                } else {
                    sent = vertx.executeBlocking(() -> send(indexes, ledger.known(claimed)), false);
                }
                own = sent.<List<Integer>>compose(this::awaitAcknowledgements, e -> {
                            releaseAll();
                            return Future.failedFuture(e);
                        })
                        .mapEmpty();
            }
            return own.transform(ar -> {
                List<Future<Void>> waits = new ArrayList<>(elsewhere.values());
                Future<?> all = Future.join(waits);
                return all.transform(ignored -> ar.failed() ? Future.failedFuture(ar.cause()) : finish());
            });
        }

        /** Whether this submission may be decided and sent right here: few events, surely new, nothing to wait for. */
        private boolean onEventLoop(List<Integer> indexes, List<String> claimed) {
            if (indexes.size() > MOST_ON_EVENT_LOOP || !ledger.surelyNew(claimed)) {
                return false;
            }
            for (int i : indexes) {
                if (!publisher.ready(events.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Publishes the claimed events the ledger does not know ({@code known}), in order. */
        private Map<Integer, CompletableFuture<Void>> send(List<Integer> indexes, Set<String> known) {
            Map<Integer, CompletableFuture<Void>> acks = new LinkedHashMap<>();
            for (int i : indexes) {
                if (known.contains(keys.get(i))) {
                    outcomes[i] = Outcome.DUPLICATE;
                } else {
                    acks.put(i, publisher.publish(events.get(i)));
                }
            }
            return acks;
        }

        /** Waits for every write, success or not; marks the acknowledged ones. */
        private Future<List<Integer>> awaitAcknowledgements(Map<Integer, CompletableFuture<Void>> acks) {
            List<Integer> indexes = new ArrayList<>(acks.keySet());
            List<Future<Void>> writes = indexes.stream()
                    .map(i -> Future.fromCompletionStage(acks.get(i), context))
                    .toList();
            return Future.join(writes).transform(ar -> {
                List<Integer> acknowledged = new ArrayList<>();
                Throwable failure = null;
                for (int n = 0; n < indexes.size(); n++) {
                    if (writes.get(n).succeeded()) {
                        outcomes[indexes.get(n)] = Outcome.ACCEPTED;
                        acknowledged.add(indexes.get(n));
                    } else if (failure == null) {
                        failure = writes.get(n).cause();
                    }
                }
                // Record what did get through even when some writes failed: a retry then sees duplicates. The
                // acknowledged keys' claims are let go once the ledger has them; every other claim now.
                Map<Integer, Promise<Void>> written = new LinkedHashMap<>();
                acknowledged.forEach(i -> written.put(i, claims.remove(i)));
                releaseAll();
                Future<Void> recorded = Future.succeededFuture();
                if (!written.isEmpty()) {
                    // The answer waits for the ledger too: a 202 the process dies right after is still a
                    // duplicate when re-posted to the restarted process (the writer's write is in RocksDB's log).
                    Promise<Void> inLedger =
                            Promise.promise(); // completed on the writer's thread; submit() answers on the caller's
                    // context
                    writer.write(acknowledged.stream().map(keys::get).toList(), () -> {
                        release(written);
                        inLedger.complete();
                    });
                    recorded = inLedger.future();
                }
                Throwable failed = failure;
                return recorded.transform(
                        v -> failed == null ? Future.succeededFuture(acknowledged) : Future.failedFuture(failed));
            });
        }

        /** Lets go of every claim still held here. */
        private void releaseAll() {
            release(claims);
        }

        /** Lets waiting submissions go: a key succeeded if it is now stored (accepted or already known). */
        private void release(Map<Integer, Promise<Void>> held) {
            held.forEach((i, claim) -> {
                inFlight.remove(keys.get(i), claim.future());
                if (outcomes[i] != null) {
                    claim.complete();
                } else {
                    claim.fail(new PublishFailedException("the event was not stored", null));
                }
            });
        }

        private Future<List<Outcome>> finish() {
            for (Map.Entry<Integer, Future<Void>> e : elsewhere.entrySet()) {
                if (e.getValue().failed()) {
                    return Future.failedFuture(e.getValue().cause());
                }
                outcomes[e.getKey()] = Outcome.DUPLICATE;
            }
            for (int i = 0; i < outcomes.length; i++) {
                if (primary[i] != i) {
                    outcomes[i] = Outcome.DUPLICATE;
                }
            }
            return Future.succeededFuture(Arrays.asList(outcomes));
        }
    }
}
