package io.painjournal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.painjournal.analytics.AnalyticsRole;
import io.painjournal.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real faults on a real replicated cluster ({@link FaultCluster}: three KRaft brokers and the split product,
 * each in its own network namespace). Companion apps post unique events throughout each scenario; after
 * the fault heals: every acknowledged event counted exactly once, an unknown or refused one at most once, no
 * count above what was sent, no hanging transaction (read-committed end = log end on every partition), the
 * answers through api equal to the oracle within a bounded time, and every partition's ISR back to three.
 *
 * <p>{@code -Dfaults.scenarios=ci} (the default: three scenarios, a few minutes), {@code all}, or a comma list
 * of names; {@code reliability/faults} runs them all and writes the table into {@code target/fault-table.md}.
 * Skips itself where it may not make namespaces (not root, no iproute2 or iptables).
 */
class ClusterFaultIT {

    static final List<String> CI = List.of("leader-kill", "analytics-kill", "ingest-cut-off");
    static final Duration HEAL_BOUND = Duration.ofSeconds(Integer.getInteger("faults.healSeconds", 120));
    /** A killed analytics instance's partitions answer from the other within this. */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);

    static final Path TABLE = Path.of(System.getProperty("faults.table", "target/fault-table.md"));
    private static final String ADMIN = TestJwt.token("fault-suite", "admin");

    /** A fault: inject it (the workload runs), hold it, heal it; returns what it did, for the table. */
    @FunctionalInterface
    private interface Fault {
        String run(FaultCluster c, FaultWorkload w) throws Exception;
    }

    private record Scenario(String name, Fault fault) {}

    /** One row of the table. */
    record Row(
            String scenario,
            long sent,
            long acknowledged,
            long refused,
            long unknown,
            long counted,
            long lost,
            long doubled,
            Duration heal,
            String note,
            boolean passed) {
        String markdown() {
            return String.format(
                    "| %s | %d | %d | %d | %d | %d | %d | %d | %.1f s | %s | %s |",
                    scenario,
                    sent,
                    acknowledged,
                    refused,
                    unknown,
                    counted,
                    lost,
                    doubled,
                    heal.toMillis() / 1000.0,
                    note,
                    passed ? "pass" : "**FAIL**");
        }
    }

    private final List<FaultWorkload.Sent> everything = new ArrayList<>();

    @Test
    void everyScenarioHealsWithNothingLostOrDoubled(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(ClusterNet.available(), "needs root with iproute2 and iptables (network namespaces)");
        List<Scenario> selected = selected(System.getProperty("faults.scenarios", "ci"));
        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Path logs = Path.of("target", "fault-logs");
        try (FaultCluster c = FaultCluster.start(tmp)) {
            checkProductSettings(c);
            for (Scenario s : selected) {
                Row row = run(c, s);
                rows.add(row);
                System.out.println("ClusterFaultIT " + row.markdown());
                if (!row.passed()) {
                    failures.add(row.scenario() + ": " + row.note());
                }
                writeTable(rows);
            }
            Row audit = audit(c);
            rows.add(audit);
            if (!audit.passed()) {
                failures.add("final audit: " + audit.note());
            }
            writeTable(rows);
        } finally {
            copyLogs(tmp, logs);
        }
        assertTrue(failures.isEmpty(), "scenarios failed (logs in " + logs.toAbsolutePath() + "): " + failures);
    }

    private List<Scenario> selected(String which) {
        List<Scenario> all = scenarios();
        if (which.equals("all")) {
            return all;
        }
        List<String> names = which.equals("ci")
                ? CI
                : Arrays.stream(which.split(",")).map(String::trim).toList();
        List<Scenario> chosen = new ArrayList<>();
        for (String n : names) {
            chosen.add(all.stream()
                    .filter(s -> s.name().equals(n))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no scenario " + n + "; there are "
                            + all.stream().map(Scenario::name).toList())));
        }
        return chosen;
    }

    private static List<Scenario> scenarios() {
        String journal = Topics.JOURNAL.name();
        return List.of(
                new Scenario("leader-kill", (c, w) -> {
                    ClusterNode b = c.leaderOf(journal, 0);
                    b.kill();
                    hold(10);
                    b.start();
                    return "killed " + b.name + " (leader of journal-0) for 10 s";
                }),
                new Scenario("rolling-restart", (c, w) -> {
                    for (String name : FaultCluster.BROKERS) {
                        c.node(name).terminate();
                        c.node(name).start();
                        TestApps.await(
                                "ISR 3 after restarting " + name,
                                HEAL_BOUND,
                                () -> c.underReplicated().isEmpty());
                    }
                    return "SIGTERM and start b1, b2, b3, each after ISR was back to 3";
                }),
                new Scenario("controller-kill", (c, w) -> {
                    ClusterNode b = c.activeController();
                    b.kill();
                    hold(10);
                    b.start();
                    return "killed " + b.name + " (active controller) for 10 s";
                }),
                new Scenario("leader-pause", (c, w) -> {
                    ClusterNode b = c.leaderOf(journal, 0);
                    b.pause();
                    hold(15);
                    b.resume();
                    return "paused " + b.name + " 15 s (broker session 9 s)";
                }),
                new Scenario("broker-isolated", (c, w) -> {
                    ClusterNode b = c.leaderOf(journal, 1);
                    List<ClusterNet.Host> peers =
                            c.brokerHosts().stream().filter(h -> h != b.host).toList();
                    c.net.cut(b.host, peers);
                    hold(20);
                    c.net.heal(b.host);
                    return b.name + " (leader of journal-1) cut off from its peers for 20 s; clients still reach it";
                }),
                new Scenario("link-down", (c, w) -> {
                    ClusterNode b = c.leaderOf(journal, 2);
                    c.net.linkDown(b.host);
                    hold(20);
                    c.net.linkUp(b.host);
                    return b.name + " (leader of journal-2): link down for 20 s";
                }),
                new Scenario("two-brokers-down", (c, w) -> {
                    ClusterNode b1 = c.node("b1");
                    ClusterNode b2 = c.node("b2");
                    b1.kill();
                    b2.kill();
                    long down = System.nanoTime();
                    hold(15);
                    long acknowledgedWhileDown = w.acknowledgedSince(down + TimeUnit.SECONDS.toNanos(6));
                    b1.start();
                    b2.start();
                    return "killed b1 and b2 for 15 s; " + acknowledgedWhileDown + " acknowledged from 6 s into the "
                            + "outage (min.insync.replicas 2: none may be)";
                }),
                new Scenario("packet-loss", (c, w) -> {
                    ClusterNode b = c.leaderOf(journal, 0);
                    c.net.loss(b.host, 0.2);
                    hold(30);
                    c.net.heal(b.host);
                    return b.name + " (leader of journal-0) lost 20 % of its packets both ways for 30 s";
                }),
                new Scenario("analytics-kill", (c, w) -> {
                    hold(3);
                    List<FaultWorkload.Sent> before = w.sent().stream()
                            .filter(s -> s.outcome() == FaultWorkload.Outcome.ACKNOWLEDGED)
                            .toList();
                    List<FaultWorkload.Sent> sample = before.subList(Math.max(0, before.size() - 60), before.size());
                    c.node("an1").kill(); // commits every 100 ms under load: a transaction is always open
                    long killed = System.nanoTime();
                    TestApps.await(
                            "the survivor answers for the killed instance's users",
                            HEAL_BOUND,
                            () -> sample.stream().allMatch(s -> sessions(c, s.user()) == 1));
                    double failover = (System.nanoTime() - killed) / 1e9;
                    c.node("an1").start();
                    TestApps.await("an1 back", HEAL_BOUND, () -> c.ready("an1"));
                    assertTrue(failover < FAILOVER_BOUND.toSeconds(), "failover took " + failover + " s");
                    return String.format(
                            "an1 killed; its users answered by an2 after %.1f s (bound %d s); restarted",
                            failover, FAILOVER_BOUND.toSeconds());
                }),
                new Scenario("analytics-zombie", (c, w) -> {
                    ClusterNode an = c.node("an1");
                    c.net.cut(an.host, c.brokerHosts());
                    hold(20);
                    c.net.heal(an.host);
                    TestApps.await("an1 rejoined", HEAL_BOUND, () -> c.ready("an1"));
                    return "an1 cut off from every broker 20 s (session 6 s, transactions 5 s): its partitions moved to an2, an1 fenced, rejoined";
                }),
                new Scenario("ingest-cut-off", (c, w) -> {
                    ClusterNode in = c.node("ingest");
                    long cut = System.nanoTime();
                    c.net.cut(in.host, c.brokerHosts());
                    hold(15);
                    c.net.heal(in.host);
                    long healed = System.nanoTime();
                    TestApps.await("acknowledgements again", HEAL_BOUND, () -> w.acknowledgedSince(healed) > 0);
                    double resumed = (System.nanoTime() - healed) / 1e9;
                    List<FaultWorkload.Sent> during = w.sent().stream()
                            .filter(s -> s.sentAtNanos() > cut && s.sentAtNanos() < healed)
                            .toList();
                    List<FaultWorkload.Sent> refused = during.stream()
                            .filter(s -> s.outcome() != FaultWorkload.Outcome.ACKNOWLEDGED)
                            .toList();
                    long refused503 = refused.stream()
                            .filter(s -> s.status() == 503 && s.retryAfter())
                            .count();
                    assertTrue(
                            refused503 > 0 && refused503 == refused.size(),
                            "every post refused during the cut-off is 503 + Retry-After: " + refused);
                    return String.format(
                            "ingest cut off 15 s: %d of the %d posts sent meanwhile refused, each 503 + "
                                    + "Retry-After (the others acknowledged after the heal); acknowledging again %.1f s after "
                                    + "the heal",
                            refused503, during.size(), resumed);
                }),
                new Scenario("ingest-kill", (c, w) -> {
                    c.node("ingest").kill();
                    hold(2);
                    c.node("ingest").start();
                    TestApps.await("ingest back", HEAL_BOUND, () -> c.ready("ingest"));
                    return "ingest killed under load and restarted";
                }));
    }

    /** Runs one scenario with the workload around it, then checks the invariants until they hold or time out. */
    private Row run(FaultCluster c, Scenario s) throws Exception {
        FaultWorkload w = FaultWorkload.start(
                "http://" + c.net.host("ingest").address() + ":" + FaultCluster.HTTP_PORT, s.name());
        String note;
        boolean faultPassed = true;
        long healed;
        try {
            hold(5);
            try {
                note = s.fault().run(c, w);
            } catch (Exception | AssertionError e) {
                note = "fault step failed: " + e.getMessage();
                faultPassed = false;
            }
            healed = System.nanoTime();
            hold(5);
        } finally {
            w.close();
        }
        List<FaultWorkload.Sent> events = w.sent();
        everything.addAll(events);
        Verdict v = verify(c, events, healed);
        double heal = (v.at() - healed) / 1e9;
        return new Row(
                s.name(),
                events.size(),
                w.count(FaultWorkload.Outcome.ACKNOWLEDGED),
                w.count(FaultWorkload.Outcome.REFUSED),
                w.count(FaultWorkload.Outcome.UNKNOWN),
                v.counted(),
                v.lost(),
                v.doubled(),
                Duration.ofMillis((long) (heal * 1000)),
                note + (v.problem().isEmpty() ? "" : "; " + v.problem()),
                faultPassed && v.problem().isEmpty());
    }

    private record Verdict(long counted, long lost, long doubled, long at, String problem) {}

    /**
     * Waits (up to {@link #HEAL_BOUND} after the heal) until every acknowledged event of the scenario answers
     * once through api, the ISR is three everywhere and no transaction hangs; then counts every event.
     */
    private Verdict verify(FaultCluster c, List<FaultWorkload.Sent> events, long healed) {
        long deadline = healed + HEAL_BOUND.toNanos();
        List<FaultWorkload.Sent> pending = new ArrayList<>(events.stream()
                .filter(e -> e.outcome() == FaultWorkload.Outcome.ACKNOWLEDGED)
                .toList());
        String problem = "";
        while (System.nanoTime() < deadline) {
            pending.removeIf(e -> sessions(c, e.user()) == 1);
            if (pending.isEmpty() && c.underReplicated().isEmpty() && noHangingTransaction(c)) {
                break;
            }
            sleep(500);
        }
        long at = System.nanoTime();
        if (!pending.isEmpty()) {
            problem = pending.size() + " acknowledged not answered within " + HEAL_BOUND.toSeconds() + " s";
        } else if (!c.underReplicated().isEmpty()) {
            problem = "under-replicated: " + c.underReplicated();
        } else if (!noHangingTransaction(c)) {
            problem = "a transaction hangs (read-committed end below log end)";
        }
        long counted = 0;
        long lost = 0;
        long doubled = 0;
        for (FaultWorkload.Sent e : events) {
            int n = sessions(c, e.user());
            counted += Math.max(0, n);
            lost += e.outcome() == FaultWorkload.Outcome.ACKNOWLEDGED && n == 0 ? 1 : 0;
            doubled += n > 1 ? 1 : 0;
        }
        if (problem.isEmpty() && (lost > 0 || doubled > 0)) {
            problem = lost + " lost, " + doubled + " counted twice";
        }
        return new Verdict(counted, lost, doubled, at, problem);
    }

    /** After every scenario: the population counts each event of the whole run as the oracle says, once. */
    private Row audit(FaultCluster c) {
        long counted = 0;
        long lost = 0;
        long doubled = 0;
        for (FaultWorkload.Sent e : everything) {
            int n = sessions(c, e.user());
            counted += Math.max(0, n);
            lost += e.outcome() == FaultWorkload.Outcome.ACKNOWLEDGED && n != 1 ? 1 : 0;
            doubled += n > 1 ? 1 : 0;
        }
        long population = 0;
        for (JsonNode t : c.http("api").get("/v1/techniques", ADMIN).json().get("techniques")) {
            population += t.get("sessions").asLong();
        }
        long acknowledged = everything.stream()
                .filter(e -> e.outcome() == FaultWorkload.Outcome.ACKNOWLEDGED)
                .count();
        String problem = population != counted
                ? "population counts " + population + ", users " + counted
                : population > everything.size()
                        ? "more counted than sent"
                        : lost + doubled > 0 ? "lost or doubled" : "";
        return new Row(
                "(all, final audit)",
                everything.size(),
                acknowledged,
                everything.stream()
                        .filter(e -> e.outcome() == FaultWorkload.Outcome.REFUSED)
                        .count(),
                everything.stream()
                        .filter(e -> e.outcome() == FaultWorkload.Outcome.UNKNOWN)
                        .count(),
                counted,
                lost,
                doubled,
                Duration.ZERO,
                "population total " + population + " = sum over users" + (problem.isEmpty() ? "" : "; " + problem),
                problem.isEmpty());
    }

    /** Replication of the product's topics and changelogs, no unclean election, transaction version 2. */
    private static void checkProductSettings(FaultCluster c) throws Exception {
        Map<String, TopicDescription> topics = c.descriptions();
        List<String> product = topics.keySet().stream()
                .filter(t -> t.equals(Topics.JOURNAL.name()) || t.startsWith(AnalyticsRole.APPLICATION_ID + "-"))
                .sorted()
                .toList();
        assertTrue(product.size() > 1, "the journal and the changelogs: " + topics.keySet());
        for (String t : product) {
            topics.get(t).partitions().forEach(p -> assertEquals(3, p.replicas().size(), t + " replicated 3 times"));
        }
        Map<String, Config> configs = c.topicConfigs(product);
        configs.forEach((t, cfg) -> {
            assertEquals("2", cfg.get("min.insync.replicas").value(), t + " min.insync.replicas");
            assertEquals("false", cfg.get("unclean.leader.election.enable").value(), t + " unclean election");
        });
        FinalizedVersionRange tv = c.admin()
                .describeFeatures()
                .featureMetadata()
                .get(10, TimeUnit.SECONDS)
                .finalizedFeatures()
                .get("transaction.version");
        assertTrue(tv != null && tv.maxVersionLevel() >= 2, "transaction version 2 is active: " + tv);
        System.out.println(
                "ClusterFaultIT settings: " + product.size() + " topics replicated 3 times, min.insync.replicas"
                        + " 2, unclean.leader.election.enable false; transaction.version " + tv.maxVersionLevel());
    }

    private static boolean noHangingTransaction(FaultCluster c) {
        try {
            CrashIT.assertNoHangingTransaction(c.bootstrap, Duration.ofSeconds(5));
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /** The user's sessions as api answers them; -1 while it cannot answer. */
    private static int sessions(FaultCluster c, String user) {
        return CrashIT.sessionsOf(c.http("api"), user, ADMIN);
    }

    private void writeTable(List<Row> rows) throws Exception {
        StringBuilder b = new StringBuilder("| scenario | sent | acknowledged | refused | unknown | counted | lost | "
                + "double | time to heal | what happened | result |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> b.append(r.markdown()).append('\n'));
        Files.createDirectories(TABLE.toAbsolutePath().getParent());
        Files.writeString(TABLE, b.toString());
    }

    private static void copyLogs(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (Exception ignored) {
            // logs are a help, not a result
        }
    }

    private static void hold(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L); // the fault's duration is the point here, not a wait for something
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
