package io.painjournal.ingest;

import static io.painjournal.ingest.IngestService.Outcome.ACCEPTED;
import static io.painjournal.ingest.IngestService.Outcome.DUPLICATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.catalogue.Provider;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.Trial;
import io.painjournal.events.TrialCancelled;
import io.painjournal.privacy.MasterKey;
import io.painjournal.privacy.Pseudonyms;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestServiceTest {

    private final Vertx vertx = Vertx.vertx();
    private final FakePublisher publisher = new FakePublisher();
    private final MemoryLedger ledger = new MemoryLedger();
    private final Pseudonyms pseudonyms = new Pseudonyms(MasterKey.parse(MasterKey.generate()));
    private final IngestService service = new IngestService(vertx, publisher, ledger, pseudonyms);

    @AfterEach
    void close() throws Exception {
        service.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void newEventsArePublishedOnceInOrderAndRecorded() throws Exception {
        Session a = session("u-1");
        PainScore b = painScore("u-1");
        assertEquals(List.of(ACCEPTED, ACCEPTED), await(service.submit(List.of(a, b))));
        assertEquals(List.of(a, b), publisher.published);
        // recorded after the answer, by the ledger writer; the claims are held until then
        awaitCondition(() -> service.inFlight() == 0);
        assertEquals(Set.of(EventLedger.key(pseudonyms, a), EventLedger.key(pseudonyms, b)), ledger.keys);
        assertTrue(ledger.keys.stream().noneMatch(k -> k.contains("u-1")), "the ledger names no user: " + ledger.keys);
    }

    @Test
    void aFewNewEventsAreSentFromTheEventLoopWithoutAWorkerOrALedgerRead() throws Exception {
        ledger.filter = true;
        publisher.ready = true;
        Session a = session("u-1");
        Future<List<IngestService.Outcome>> answer = vertx.getOrCreateContext()
                .<Future<List<IngestService.Outcome>>>executeBlocking(() -> null)
                .compose(v -> service.submit(List.of(a)));
        assertEquals(List.of(ACCEPTED), await(answer));
        assertEquals(0, ledger.reads.get(), "the filter said new: no ledger read");
        assertTrue(
                publisher.threads.stream().allMatch(t -> t.startsWith("vert.x-eventloop")),
                publisher.threads.toString());

        // the filter may say "maybe": then the ledger is asked, on a worker, and a known key is a duplicate
        awaitCondition(() -> ledger.keys.contains(EventLedger.key(pseudonyms, a)));
        assertEquals(List.of(DUPLICATE), await(service.submit(List.of(a))));
        assertEquals(1, ledger.reads.get());
        // a user whose data key is not ready yet is sent from a worker (the publisher may wait for the key)
        publisher.ready = false;
        assertEquals(List.of(ACCEPTED), await(service.submit(List.of(session("u-2")))));
        assertEquals(2, ledger.reads.get());
        assertTrue(publisher.threads.get(1).startsWith("vert.x-worker"), publisher.threads.toString());
    }

    @Test
    void theAnswerWaitsForTheLedgerWriteAndARepostMeanwhileIsADuplicate() throws Exception {
        ledger.holdWrites = new java.util.concurrent.CountDownLatch(1);
        Session a = session("u-1");
        Future<List<IngestService.Outcome>> first = service.submit(List.of(a));
        Future<List<IngestService.Outcome>> repost = service.submit(List.of(a));
        // Kafka has it, but a process killed now would not know it on restart: no answer yet
        org.awaitility.Awaitility.await("no answer before the ledger has the key")
                .during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !first.isComplete() && !repost.isComplete());
        assertEquals(1, publisher.published.size(), "published once, the re-post waiting for its claim");
        assertEquals(1, service.inFlight(), "the claim is held until the write");
        ledger.holdWrites.countDown();
        assertEquals(List.of(ACCEPTED), await(first));
        assertTrue(ledger.keys.contains(EventLedger.key(pseudonyms, a)), "answered once in the ledger");
        assertEquals(List.of(DUPLICATE), await(repost));
        assertEquals(1, publisher.published.size());
        assertEquals(0, service.inFlight());
    }

    @Test
    void aTrialCancelledWhileItsLedgerWriteIsStillUnderWayIsFound() throws Exception {
        ledger.holdWrites = new java.util.concurrent.CountDownLatch(1);
        Trial trial = trial("u-1");
        Future<List<IngestService.Outcome>> accepted = service.submit(List.of(trial));
        org.awaitility.Awaitility.await("the trial published")
                .atMost(Duration.ofSeconds(5))
                .until(() -> publisher.published.size() == 1);
        Future<Boolean> cancel = service.cancelTrial("u-1", trial.trialId());
        org.awaitility.Awaitility.await("the cancel waits for the trial's write under way")
                .during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !cancel.isComplete() && !accepted.isComplete());
        ledger.holdWrites.countDown();
        assertEquals(List.of(ACCEPTED), await(accepted));
        assertEquals(true, await(cancel));
        assertInstanceOf(TrialCancelled.class, publisher.published.get(1));
        // another user's trial of that id, and an id never posted, are not known
        assertEquals(false, await(service.cancelTrial("u-2", trial.trialId())));
        assertEquals(false, await(service.cancelTrial("u-1", UUID.randomUUID().toString())));
        assertEquals(2, publisher.published.size());
    }

    @Test
    void aTrialWhoseWriteFailedIsNotCancelled() throws Exception {
        publisher.holdAcks = true;
        Trial trial = trial("u-1");
        Future<List<IngestService.Outcome>> post = service.submit(List.of(trial));
        awaitCondition(() -> publisher.pending.size() == 1);
        Future<Boolean> cancel = service.cancelTrial("u-1", trial.trialId());
        publisher.failAll();
        awaitFailure(post);
        assertEquals(false, await(cancel));
        assertTrue(publisher.published.isEmpty());
    }

    @Test
    void aLedgerThatCannotWriteStillAnswersAcceptedAndLetsTheClaimsGo() throws Exception {
        ledger.brokenWrites = true;
        assertEquals(List.of(ACCEPTED), await(service.submit(List.of(session("u-1")))));
        awaitCondition(() -> service.inFlight() == 0);
    }

    @Test
    void tooManyEventsUnderWayAreRefusedWithNothingSent() throws Exception {
        IngestService small = new IngestService(vertx, publisher, ledger, pseudonyms, 2, IngestService.Admission.OPEN);
        try {
            publisher.holdAcks = true;
            Future<List<IngestService.Outcome>> first = small.submit(List.of(session("u-1"), session("u-1")));
            awaitCondition(() -> publisher.pending.size() == 2);
            assertInstanceOf(OverloadedException.class, awaitFailure(small.submit(List.of(session("u-2")))));
            assertEquals(2, publisher.pending.size(), "nothing of the refused submission was sent");
            publisher.ackAll();
            assertEquals(List.of(ACCEPTED, ACCEPTED), await(first));
            awaitCondition(() -> small.inFlight() == 0);
            publisher.holdAcks = false;
            assertEquals(List.of(ACCEPTED), await(small.submit(List.of(session("u-2")))));
        } finally {
            small.close();
        }
    }

    @Test
    void aSubmissionTheAdmissionRefusesFailsWithItsReasonAndNothingSent() throws Exception {
        String[] refusal = {"analytics is far behind."};
        IngestService gated =
                new IngestService(vertx, publisher, ledger, pseudonyms, IngestService.MAX_IN_FLIGHT, () -> refusal[0]);
        try {
            Throwable failure = awaitFailure(gated.submit(List.of(session("u-1"))));
            assertInstanceOf(OverloadedException.class, failure);
            assertEquals("analytics is far behind.", failure.getMessage());
            assertTrue(publisher.published.isEmpty(), "nothing of the refused submission was sent");
            refusal[0] = null;
            assertEquals(List.of(ACCEPTED), await(gated.submit(List.of(session("u-1")))));
        } finally {
            gated.close();
        }
    }

    @Test
    void theSameEventTwiceInOneBatchIsPublishedOnce() throws Exception {
        Session a = session("u-1");
        assertEquals(List.of(ACCEPTED, DUPLICATE), await(service.submit(List.of(a, a))));
        assertEquals(List.of(a), publisher.published);
    }

    @Test
    void anEventTheLedgerKnowsIsADuplicateAndNotPublished() throws Exception {
        Session a = session("u-1");
        ledger.keys.add(EventLedger.key(pseudonyms, a));
        assertEquals(List.of(DUPLICATE), await(service.submit(List.of(a))));
        assertTrue(publisher.published.isEmpty());
    }

    @Test
    void duplicatesArePerUserSoNoOneCanProbeAnotherUsersIds() throws Exception {
        Session mine = session("u-1");
        Session theirs = new Session(
                mine.eventId(), "u-2", "melt", mine.startedAt(), 10, 5, 3, Provider.SELF, null, null, null, null, null);
        assertEquals(List.of(ACCEPTED), await(service.submit(List.of(mine))));
        assertEquals(List.of(ACCEPTED), await(service.submit(List.of(theirs))));
    }

    @Test
    void aConcurrentRepostWaitsForTheFirstWriteAndIsADuplicate() throws Exception {
        Session a = session("u-1");
        publisher.holdAcks = true;
        Future<List<IngestService.Outcome>> first = service.submit(List.of(a));
        awaitCondition(() -> publisher.pending.size() == 1);
        Future<List<IngestService.Outcome>> second = service.submit(List.of(a));
        assertEquals(1, service.inFlight());
        publisher.ackAll();
        assertEquals(List.of(ACCEPTED), await(first));
        assertEquals(List.of(DUPLICATE), await(second));
        assertEquals(1, publisher.published.size());
        assertEquals(0, service.inFlight());
    }

    @Test
    void whenKafkaFailsNothingIsRecordedAndARetryIsAccepted() throws Exception {
        Session a = session("u-1");
        publisher.failing = true;
        Throwable error = awaitFailure(service.submit(List.of(a)));
        assertInstanceOf(PublishFailedException.class, error);
        assertTrue(ledger.keys.isEmpty());
        assertEquals(0, service.inFlight());

        publisher.failing = false;
        assertEquals(List.of(ACCEPTED), await(service.submit(List.of(a))));
    }

    @Test
    void aConcurrentRepostFailsTooWhenTheFirstWriteFails() {
        Session a = session("u-1");
        publisher.holdAcks = true;
        Future<List<IngestService.Outcome>> first = service.submit(List.of(a));
        awaitCondition(() -> publisher.pending.size() == 1);
        Future<List<IngestService.Outcome>> second = service.submit(List.of(a));
        publisher.failAll();
        assertInstanceOf(PublishFailedException.class, awaitFailure(first));
        assertInstanceOf(PublishFailedException.class, awaitFailure(second));
        assertEquals(0, service.inFlight());
    }

    @Test
    void aPartlyFailedBatchKeepsWhatGotThroughSoTheRetryAnswersDuplicates() throws Exception {
        Session ok = session("u-1");
        Session failing = session("u-1");
        publisher.failOnly = failing.eventId();
        assertInstanceOf(PublishFailedException.class, awaitFailure(service.submit(List.of(ok, failing))));
        awaitCondition(() -> service.inFlight() == 0);
        assertEquals(Set.of(EventLedger.key(pseudonyms, ok)), ledger.keys);

        publisher.failOnly = null;
        assertEquals(List.of(DUPLICATE, ACCEPTED), await(service.submit(List.of(ok, failing))));
        assertEquals(List.of(ok, failing), publisher.published);
    }

    @Test
    void aLedgerThatCannotReadFailsTheRequestWithoutPublishing() {
        ledger.broken = true;
        assertInstanceOf(IllegalStateException.class, awaitFailure(service.submit(List.of(session("u-1")))));
        assertTrue(publisher.published.isEmpty());
        assertEquals(0, service.inFlight());
    }

    @Test
    void anEmptySubmissionSucceedsWithNoOutcomes() throws Exception {
        assertEquals(List.of(), await(service.submit(List.of())));
    }

    // --- helpers -------------------------------------------------------------------------------

    static Session session(String user) {
        return new Session(
                UUID.randomUUID().toString(),
                user,
                "tennis-ball",
                Instant.parse("2026-11-20T18:30:00Z"),
                10,
                7,
                4,
                Provider.SELF,
                null,
                null,
                null,
                null,
                null);
    }

    static Trial trial(String user) {
        return new Trial(
                UUID.randomUUID().toString(),
                user,
                List.of("tennis-ball", "swedish"),
                java.time.LocalDate.parse("2026-12-01"),
                7,
                1,
                0,
                List.of("swedish", "tennis-ball"),
                Instant.parse("2026-11-30T18:30:00Z"));
    }

    static PainScore painScore(String user) {
        return new PainScore(
                UUID.randomUUID().toString(),
                user,
                Instant.parse("2026-11-21T08:00:00Z"),
                5,
                null,
                null,
                null,
                null,
                null);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.await(10, TimeUnit.SECONDS);
    }

    private static Throwable awaitFailure(Future<?> future) {
        return assertThrows(Throwable.class, () -> future.await(10, TimeUnit.SECONDS));
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Acknowledges at once, or holds acks until told; can fail everything or one event. */
    static final class FakePublisher implements JournalPublisher {
        final List<JournalEvent> published = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        volatile boolean holdAcks;
        volatile boolean failing;
        volatile String failOnly;
        volatile boolean ready;
        /** The thread each publish ran on. */
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public boolean ready(JournalEvent event) {
            return ready;
        }

        @Override
        public CompletableFuture<Void> publish(JournalEvent event) {
            threads.add(Thread.currentThread().getName());
            if (failing || event.eventId().equals(failOnly)) {
                return CompletableFuture.failedFuture(new PublishFailedException("Kafka is down", null));
            }
            CompletableFuture<Void> ack = new CompletableFuture<>();
            ack.thenRun(() -> published.add(event));
            if (holdAcks) {
                pending.add(ack);
            } else {
                ack.complete(null);
            }
            return ack;
        }

        void ackAll() {
            new ArrayList<>(pending).forEach(f -> f.complete(null));
        }

        void failAll() {
            new ArrayList<>(pending).forEach(f -> f.completeExceptionally(new PublishFailedException("timeout", null)));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    static final class MemoryLedger implements EventLedger {
        final Set<String> keys = Collections.synchronizedSet(new HashSet<>());
        volatile boolean broken;
        volatile boolean brokenWrites;
        /** With a filter: {@link #surelyNew} answers from the keys (an exact filter); without: never sure. */
        volatile boolean filter;

        volatile java.util.concurrent.CountDownLatch holdWrites;
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean surelyNew(List<String> candidates) {
            return filter && candidates.stream().noneMatch(keys::contains);
        }

        @Override
        public Set<String> known(List<String> candidates) {
            reads.incrementAndGet();
            if (broken) {
                throw new IllegalStateException("disk gone");
            }
            Set<String> known = new HashSet<>(candidates);
            known.retainAll(keys);
            return known;
        }

        @Override
        public void remember(List<String> stored) {
            if (holdWrites != null) {
                try {
                    holdWrites.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (brokenWrites) {
                throw new IllegalStateException("disk full");
            }
            keys.addAll(stored);
        }

        @Override
        public void close() {}
    }
}
