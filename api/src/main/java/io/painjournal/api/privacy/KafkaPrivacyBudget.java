package io.painjournal.api.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.painjournal.json.Mappers;
import io.painjournal.kafka.TopicTail;
import io.painjournal.query.NotReadyException;
import io.painjournal.topics.Topics;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget kept in {@link Topics#PRIVACY_BUDGET}: durable (the topic survives restarts) and shared by every api
 * instance. A spend is a request written with {@code acks=all}; whether it is accepted is decided when it is read
 * back, by a {@link BudgetLedger} that every instance feeds the same records in the same order, so two instances
 * spending at once cannot both take the last of a budget: the spend first in the log wins, the other is refused
 * and counts for nothing. A {@link TopicTail} reads the topic from its start.
 */
public final class KafkaPrivacyBudget implements PrivacyBudget, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPrivacyBudget.class);
    private static final ObjectMapper JSON = Mappers.JSON;
    /** How long a spend waits to be read back before the request is answered 503. */
    static final Duration READ_BACK = Duration.ofSeconds(10);

    private final double budget;
    private final Clock clock;
    private final Producer<String, String> producer;
    private final BudgetLedger ledger = new BudgetLedger();
    /** Decisions by offset, until their spend collects them; and the spends waiting for theirs. */
    private final java.util.TreeMap<Long, BudgetLedger.Decision> decided = new java.util.TreeMap<>();

    private final Map<Long, CompletableFuture<BudgetLedger.Decision>> waiting = new java.util.HashMap<>();
    private final TopicTail<String, String> tail;

    KafkaPrivacyBudget(
            double budget, Clock clock, Producer<String, String> producer, Consumer<String, String> consumer) {
        this.budget = budget;
        this.clock = clock;
        this.producer = producer;
        this.tail = new TopicTail<>(
                consumer, Topics.PRIVACY_BUDGET.name(), "privacy-budget-reader", r -> apply(r.offset(), r.value()));
    }

    /** Starts reading the topic; {@code budget} is this instance's {@code RESEARCH_EPSILON_BUDGET}. */
    public static KafkaPrivacyBudget start(String bootstrapServers, double budget) {
        Producer<String, String> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "pain-journal-privacy-budget",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        5_000,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        5_000),
                new StringSerializer(),
                new StringSerializer());
        Consumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "pain-journal-privacy-budget",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer());
        KafkaPrivacyBudget b = new KafkaPrivacyBudget(budget, Clock.systemUTC(), producer, consumer);
        b.tail.start();
        return b;
    }

    @Override
    public Future<Spend> spend(String researcher, double epsilon) {
        BudgetLedger.Entry entry = new BudgetLedger.Entry(researcher, clock.instant(), epsilon, budget);
        CompletableFuture<BudgetLedger.Decision> decision = new CompletableFuture<>();
        try {
            producer.send(
                    new ProducerRecord<>(Topics.PRIVACY_BUDGET.name(), 0, researcher, JSON.writeValueAsString(entry)),
                    (metadata, error) -> {
                        if (error != null) {
                            decision.completeExceptionally(unavailable("Kafka did not take the spend", error));
                            return;
                        }
                        BudgetLedger.Decision known;
                        synchronized (waiting) { // the reader may have decided it already
                            known = decided.remove(metadata.offset());
                            if (known == null) {
                                waiting.put(metadata.offset(), decision);
                            }
                        }
                        if (known != null) {
                            decision.complete(known);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            decision.completeExceptionally(unavailable("Kafka cannot take the spend", e));
        }
        CompletableFuture<Spend> spend = new CompletableFuture<>();
        decision.orTimeout(READ_BACK.toMillis(), TimeUnit.MILLISECONDS).whenComplete((d, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            if (cause instanceof java.util.concurrent.TimeoutException) {
                spend.completeExceptionally(unavailable("the spend was not read back in time", cause));
            } else if (cause != null) {
                spend.completeExceptionally(cause);
            } else if (!d.accepted()) {
                spend.completeExceptionally(new Exhausted(d.left()));
            } else {
                spend.complete(new Spend(epsilon, d.left()));
            }
        });
        // answered on the caller's event loop, not on a Kafka thread
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(spend) : Future.fromCompletionStage(spend, context);
    }

    private static NotReadyException unavailable(String what, Throwable cause) {
        return new NotReadyException("the privacy budget is not reachable: " + what + ": " + cause.getMessage(), cause);
    }

    private void apply(long offset, String value) {
        BudgetLedger.Entry entry;
        try {
            entry = JSON.readValue(value, BudgetLedger.Entry.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping an unreadable spend at offset {}", offset);
            return;
        }
        BudgetLedger.Decision d = ledger.apply(entry);
        CompletableFuture<BudgetLedger.Decision> spend;
        synchronized (waiting) {
            spend = waiting.remove(offset);
            if (spend == null && entry.at().isAfter(clock.instant().minus(READ_BACK.multipliedBy(2)))) {
                decided.put(offset, d); // perhaps ours, its acknowledgement not handled yet
                while (decided.size() > 1000) { // other instances' spends, never collected here
                    decided.pollFirstEntry();
                }
            }
        }
        if (spend != null) {
            spend.complete(d);
        }
    }

    @Override
    public void close() {
        tail.close();
        producer.close(Duration.ofSeconds(2));
    }
}
