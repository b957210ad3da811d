package io.painjournal.analytics.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.painjournal.analytics.AnalyticsRole;
import io.painjournal.analytics.journal.JournalKeys;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.query.StoreAggregateReader;
import io.painjournal.analytics.query.StoreJournalReader;
import io.painjournal.analytics.query.Views;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.catalogue.Provider;
import io.painjournal.events.JournalEvent;
import io.painjournal.events.PainScore;
import io.painjournal.events.Session;
import io.painjournal.events.UserForgotten;
import io.painjournal.query.ResearchFilter;
import io.painjournal.query.Results;
import io.painjournal.query.Results.PersonalTechnique;
import io.painjournal.query.Results.ResearchRow;
import io.painjournal.query.Results.TechniqueSummary;
import io.painjournal.topics.Topics;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every statistic of API.md section 4 on small hand-made journals, expected values worked out here. */
class AnalyticsTopologyTest {

    private static final double EPS = 1e-9;
    private static final Instant MONDAY = Instant.parse("2026-11-16T00:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private SealedJournal journal;
    static final io.painjournal.privacy.MasterKey MASTER =
            io.painjournal.privacy.MasterKey.parse(io.painjournal.privacy.MasterKey.generate());
    static final io.painjournal.privacy.Pseudonyms PSEUDONYMS = new io.painjournal.privacy.Pseudonyms(MASTER);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    private Views views;
    private io.painjournal.analytics.query.AggregateReader reader;
    private KeyValueStore<String, io.painjournal.analytics.journal.SessionFact> sessions;
    private KeyValueStore<String, io.painjournal.analytics.journal.EntryFact> entries;
    private final List<Long> visible = new java.util.ArrayList<>();
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @BeforeEach
    void setUp() {
        Properties props =
                AnalyticsRole.streamsProperties("unused:9092", stateDir, new HostInfo("localhost", 8080), (short) 1);
        props.put(DeadLetterHandler.REGISTRY_CONFIG, registry);
        driver = new TopologyTestDriver(
                AnalyticsTopology.build(
                        visible::add,
                        PSEUDONYMS,
                        new io.painjournal.privacy.DataKeys(MASTER),
                        java.time.Duration.ofHours(1),
                        registry),
                props);
        journal = new SealedJournal(driver, MASTER);
        KeyValueStore<String, Stats> aggregates = driver.getKeyValueStore(AnalyticsTopology.AGGREGATES_STORE);
        sessions = driver.getKeyValueStore(AnalyticsTopology.SESSIONS_STORE);
        entries = driver.getKeyValueStore(AnalyticsTopology.ENTRIES_STORE);
        StoreAggregateReader store = new StoreAggregateReader(List.of(aggregates));
        reader = (from, to, after, limit) -> Future.succeededFuture(store.read(from, to, after, limit));
        views = new Views(reader, CLOCK);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    // --- builders -------------------------------------------------------------------------------

    static Session session(
            String user, String technique, Instant at, int before, int after, int minutes, Long cost, String cohort) {
        return new Session(
                UUID.randomUUID().toString(),
                user,
                technique,
                at,
                minutes,
                before,
                after,
                Provider.SELF,
                cost,
                cost == null ? null : "GBP",
                null,
                null,
                cohort);
    }

    static Session session(String user, String technique, Instant at, int before, int after) {
        return session(user, technique, at, before, after, 10, null, null);
    }

    static PainScore entry(String user, Instant at, int pain) {
        return new PainScore(UUID.randomUUID().toString(), user, at, pain, null, null, null, null, null);
    }

    private void send(JournalEvent... events) {
        for (JournalEvent e : events) {
            journal.pipeInput(e.userId(), e);
        }
    }

    @Test
    void eachChangeOfTheAnswersIsReportedWithTheAcceptedEventsTimestamp() {
        Session s = session("u1", "melt", MONDAY.plusSeconds(3600), 6, 3);
        Instant acceptedAt = Instant.parse("2026-11-24T09:00:00.123Z");
        journal.pipeInput(s.userId(), s, acceptedAt);
        assertFalse(visible.isEmpty(), "a counted session changes aggregates");
        assertTrue(visible.stream().allMatch(ts -> ts == acceptedAt.toEpochMilli()), visible.toString());

        visible.clear();
        journal.pipeInput(s.userId(), s, acceptedAt.plusSeconds(5)); // the same event again
        assertEquals(List.of(), visible, "a duplicate changes nothing, so nothing is reported");
    }

    private UserJournal journalOf(String userId) {
        return StoreJournalReader.read(sessions, entries, PSEUDONYMS.of(userId));
    }

    // --- trials ----------------------------------------------------------------------------------

    private static final java.time.LocalDate TRIAL_START = java.time.LocalDate.parse("2026-10-05");

    private static io.painjournal.events.Trial trial(String user, String trialId, List<String> order) {
        return new io.painjournal.events.Trial(
                trialId, user, List.of("melt", "tennis-ball"), TRIAL_START, 7, 2, 1, order, MONDAY);
    }

    /** The user's trials as the api shows them on {@code today}. */
    private List<Results.TrialView> trialsOf(String userId, java.time.LocalDate today) {
        UserJournal j = StoreJournalReader.read(
                sessions, entries, driver.getKeyValueStore(AnalyticsTopology.TRIALS_STORE), PSEUDONYMS.of(userId));
        if (j == null) {
            return List.of();
        }
        return j.trials().stream()
                .map(t -> io.painjournal.analytics.trials.TrialAnalysis.view(
                        t, j.sessions(), j.entries(), today, null, null))
                .toList();
    }

    /** A trial's events (the trial, on-protocol sessions with noise, journal entries) for one user. */
    private static List<JournalEvent> trialJournal(String user, String trialId) {
        List<JournalEvent> events = new ArrayList<>();
        events.add(trial(user, trialId, List.of("melt", "tennis-ball", "tennis-ball", "melt")));
        int[][] days = {{1, 6, 3}, {2, 7, 2}, {8, 6, 5}, {9, 7, 5}, {15, 5, 4}, {23, 6, 1}, {24, 8, 4}};
        for (int[] d : days) {
            Instant at = Instant.parse("2026-10-05T18:00:00Z").plus(java.time.Duration.ofDays(d[0]));
            String technique = (d[0] < 7 || d[0] >= 21) ? "melt" : "tennis-ball";
            events.add(session(user, technique, at, d[1], d[2]));
            events.add(entry(user, at.plusSeconds(14 * 3600), d[2] + 1));
        }
        return events;
    }

    @Test
    void aTrialsAnswerIsTheSameWhateverOrderItsEventsArriveIn() {
        String id = UUID.randomUUID().toString();
        List<JournalEvent> inOrder = trialJournal("in-order", id);
        inOrder.forEach(e -> send(e));
        List<JournalEvent> shuffled = new ArrayList<>(trialJournal("shuffled", id));
        java.util.Collections.shuffle(shuffled, new java.util.Random(5));
        java.util.Collections.reverse(shuffled.subList(0, 3)); // and the trial itself among the last, if not already
        shuffled.forEach(e -> send(e));
        java.time.LocalDate after = java.time.LocalDate.parse("2026-12-01");
        List<Results.TrialView> a = trialsOf("in-order", after);
        List<Results.TrialView> b = trialsOf("shuffled", after);
        assertEquals(1, a.size());
        assertEquals(a, b, "late sessions and entries land in their periods");
        Results.TrialResult r = a.get(0).result();
        assertEquals(2, r.pairsComplete());
        // pair 0: melt (3 + 5)/2 = 4 − ball (1 + 2)/2 = 1.5 → 2.5; pair 1: melt (5 + 4)/2 = 4.5 − ball 1 → 3.5
        assertEquals(List.of(new Results.PairDifference(0, 2.5), new Results.PairDifference(1, 3.5)), r.differences());
        assertEquals("completed", a.get(0).status());
    }

    /**
     * The population of trials reads each user's trial of a pair from store trial-pairs: the same trial in any
     * arrival order gives the same row (n 2, mean of 2.5 and 3.5 = 3, sd √0.5), a completed trial counts from
     * its end day on with no new event, and a forgotten user's rows go with them.
     */
    @Test
    void eachTrialIsARowOfItsPairWhateverTheOrderAndGoesWithItsUser() {
        String id = UUID.randomUUID().toString();
        List<JournalEvent> shuffled = new ArrayList<>(trialJournal("rows", id));
        java.util.Collections.shuffle(shuffled, new java.util.Random(8));
        shuffled.forEach(e -> send(e));
        KeyValueStore<String, io.painjournal.analytics.trials.CountedTrial> pairs =
                driver.getKeyValueStore(AnalyticsTopology.TRIAL_PAIRS_STORE);
        String key = io.painjournal.analytics.journal.JournalKeys.trialOfPair(
                List.of("melt", "tennis-ball"), PSEUDONYMS.of("rows"), id);
        assertTrue(key.startsWith("melt|tennis-ball|"), key);
        io.painjournal.analytics.trials.CountedTrial row = pairs.get(key);
        assertEquals(2, row.pairs());
        assertEquals(3.0, row.meanDifference(), EPS);
        assertEquals(Math.sqrt(0.5), row.sdDifference(), EPS);
        assertEquals(TRIAL_START.plusDays(4 * 7), row.end(), "four periods of 7 days");
        assertFalse(row.countsOn(row.end().minusDays(1)), "running on its last day");
        assertTrue(row.countsOn(row.end()), "completed from the day after: counted, with no new event");
        assertEquals(-3.0, row.study("tennis-ball").difference(), EPS, "asked the other way round");

        send(new UserForgotten(UUID.randomUUID().toString(), "rows", Instant.now()));
        assertNull(pairs.get(key), "gone with its user");
    }

    @Test
    void aTrialIsKeptAsFirstAcceptedAndACancellationStopsIt() {
        String id = UUID.randomUUID().toString();
        send(trial("u1", id, List.of("melt", "tennis-ball", "melt", "tennis-ball")));
        // ingest published a re-post twice (a crash before its ledger write): the first order stands
        send(trial("u1", id, List.of("tennis-ball", "melt", "tennis-ball", "melt")));
        assertEquals("melt", trialsOf("u1", TRIAL_START).get(0).periods().get(0).technique());
        assertEquals("running", trialsOf("u1", TRIAL_START).get(0).status());
        send(new io.painjournal.events.TrialCancelled(
                UUID.randomUUID().toString(), "u1", id, Instant.parse("2026-10-13T10:00:00Z")));
        send(new io.painjournal.events.TrialCancelled(
                UUID.randomUUID().toString(), "u1", id, Instant.parse("2026-10-20T10:00:00Z")));
        Results.TrialView cancelled =
                trialsOf("u1", java.time.LocalDate.parse("2026-10-30")).get(0);
        assertEquals("cancelled", cancelled.status());
        assertEquals(2, cancelled.periods().size(), "the first cancellation counts; later periods dropped");
        assertEquals(
                java.time.LocalDate.parse("2026-10-14"),
                cancelled.periods().get(1).end());
        send(new io.painjournal.events.TrialCancelled(
                UUID.randomUUID().toString(), "u1", UUID.randomUUID().toString(), Instant.now()));
        assertEquals(1, trialsOf("u1", TRIAL_START).size(), "cancelling an unknown trial changes nothing");
    }

    @Test
    void forgettingAUserErasesTheirTrials() {
        send(trial("gone", UUID.randomUUID().toString(), List.of("melt", "tennis-ball", "melt", "tennis-ball")));
        send(trial("stays", UUID.randomUUID().toString(), List.of("melt", "tennis-ball", "melt", "tennis-ball")));
        send(new UserForgotten(UUID.randomUUID().toString(), "gone", Instant.now()));
        assertEquals(List.of(), trialsOf("gone", TRIAL_START));
        assertEquals(1, trialsOf("stays", TRIAL_START).size());
    }

    /** What the topology writes to the keys topic from now on (what it wrote before is read and dropped). */
    private TestOutputTopic<String, byte[]> keysOutput() {
        TestOutputTopic<String, byte[]> keysOut = driver.createOutputTopic(
                Topics.KEYS_NAME,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        keysOut.readRecordsToList();
        return keysOut;
    }

    private TechniqueSummary population(String technique) {
        return views.population().await().techniques().stream()
                .filter(t -> t.technique().equals(technique))
                .findFirst()
                .orElse(null);
    }

    // --- population -----------------------------------------------------------------------------

    /**
     * melt, one week: u1 6→3 (10 min, cost 0), u1 4→4 (20 min), u2 8→2 (15 min, 1000 cents), u3 0→1 (5 min).
     * reductions 3, 0, 6, −1: n 4, Σr 8, mean 2, Σr² 46, var (4·46 − 8²)/(4·3) = 10, sd √10;
     * percent over painBefore > 0: 50, 0, 75 → 41.666…; responders 6→3 (30 ≥ 18) and 8→2: 2/4;
     * duration 50/4 = 12.5; cost (0 + 1000) / relief (3 + 6) = 111.11…
     */
    @Test
    void populationStatisticsAreExactAsDefined() {
        send(
                session("u1", "melt", MONDAY.plusSeconds(3600), 6, 3, 10, 0L, null),
                session("u1", "melt", MONDAY.plusSeconds(7200), 4, 4, 20, null, null),
                session("u2", "melt", MONDAY.plusSeconds(3600), 8, 2, 15, 1000L, null),
                session("u3", "melt", MONDAY.plusSeconds(3600), 0, 1, 5, null, null),
                session("u1", "tennis-ball", MONDAY.plusSeconds(3600), 5, 1));

        List<TechniqueSummary> all = views.population().await().techniques();
        assertEquals(
                List.of("tennis-ball", "melt"),
                all.stream().map(TechniqueSummary::technique).toList(),
                "sorted by meanReduction, highest first");
        TechniqueSummary melt = population("melt");
        assertEquals(4, melt.sessions());
        assertEquals(3, melt.users());
        assertEquals(2.0, melt.meanReduction(), EPS);
        assertEquals(Math.sqrt(10), melt.sdReduction(), EPS);
        double half = 1.96 * Math.sqrt(10) / 2;
        assertEquals(2.0 - half, melt.ci95().low(), EPS);
        assertEquals(2.0 + half, melt.ci95().high(), EPS);
        assertEquals(125.0 / 3, melt.meanPercentReduction(), EPS);
        assertEquals(2.0 / 3, melt.responderRate(), EPS, "2 responders of the 3 sessions that had pain");
        assertEquals(12.5, melt.meanDurationMinutes(), EPS);
        assertEquals(1000.0 / 9, melt.costPerPointCents(), EPS);
        assertEquals(0, melt.followUps());
        assertNull(melt.meanLastingReduction());

        TechniqueSummary tennis = population("tennis-ball");
        assertEquals(1, tennis.sessions());
        assertNull(tennis.sdReduction(), "sd of one session is undefined");
        assertNull(tennis.ci95(), "ci95 is null when sessions < 2");
        assertNull(tennis.costPerPointCents(), "no session carried a cost");
        assertEquals(80.0, tennis.meanPercentReduction(), EPS);
    }

    /**
     * The sums of the technique model (API.md section 7) are kept as every other: a seeded journal of 40 users
     * arrives shuffled (late sessions before earlier ones), a third of it twice (duplicates), 8 users are
     * forgotten midway and some come back with new sessions. The stored sums equal the sums recomputed from
     * what remains, and the population item's σ and τ equal the model fitted independently (each remaining
     * user a study, DerSimonian–Laird's weights).
     */
    @Test
    void theModelsSumsFollowLateEventsDuplicatesAndForgettingExactly() {
        java.util.Random random = new java.util.Random(34);
        List<Session> all = new java.util.ArrayList<>();
        for (int u = 0; u < 40; u++) {
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                int before = random.nextInt(11);
                all.add(session(
                        "m" + u, "melt", MONDAY.plusSeconds(random.nextInt(30 * 86_400)), before, random.nextInt(11)));
            }
        }
        java.util.Collections.shuffle(all, random);
        java.util.Set<String> forgotten = new java.util.TreeSet<>();
        for (int i = 0; i < all.size(); i++) {
            send(all.get(i));
            if (i % 3 == 0) {
                send(all.get(random.nextInt(i + 1))); // a duplicate of something already sent
            }
            if (i == all.size() / 2) {
                for (int u = 0; u < 8; u++) {
                    forgotten.add("m" + (u * 5));
                    send(new UserForgotten(UUID.randomUUID().toString(), "m" + (u * 5), Instant.now()));
                }
            }
        }
        // what remains: the sessions of users never forgotten, and those of forgotten users sent after it
        Map<String, List<Integer>> remaining = new java.util.TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            Session s = all.get(i);
            if (!forgotten.contains(s.userId()) || i > all.size() / 2) {
                remaining
                        .computeIfAbsent(s.userId(), u -> new java.util.ArrayList<>())
                        .add(s.painBefore() - s.painAfter());
            }
        }
        long n = 0;
        long sum = 0;
        long squares = 0;
        long sessionsSquared = 0;
        double b = 0;
        for (List<Integer> r : remaining.values()) {
            long su = r.stream().mapToLong(Integer::longValue).sum();
            n += r.size();
            sum += su;
            squares += r.stream().mapToLong(x -> (long) x * x).sum();
            sessionsSquared += (long) r.size() * r.size();
            b += (double) su * su / r.size();
        }
        KeyValueStore<String, Stats> aggregates = driver.getKeyValueStore(AnalyticsTopology.AGGREGATES_STORE);
        Stats kept = aggregates.get(io.painjournal.analytics.journal.AggregateKey.technique("melt"));
        assertEquals(remaining.size(), kept.users());
        assertEquals(n, kept.sessions());
        assertEquals(sum, kept.sumReduction());
        assertEquals(squares, kept.sumSquares());
        assertEquals(sessionsSquared, kept.userSessionsSquared());
        assertEquals(b, kept.sumUserSquares(), 1e-9 * b);

        // σ² and τ² fitted independently: each user a study with mean ȳᵤ and weight nᵤ/σ²
        double within = 0;
        for (List<Integer> r : remaining.values()) {
            double mean = r.stream().mapToInt(Integer::intValue).average().orElseThrow();
            within += r.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        }
        double sigma2 = Math.max(0.25, within / (n - remaining.size()));
        double w = 0;
        double w2 = 0;
        double wy = 0;
        for (List<Integer> r : remaining.values()) {
            w += r.size() / sigma2;
            w2 += (r.size() / sigma2) * (r.size() / sigma2);
            wy += r.size()
                    / sigma2
                    * r.stream().mapToInt(Integer::intValue).average().orElseThrow();
        }
        double q = 0;
        for (List<Integer> r : remaining.values()) {
            double d = r.stream().mapToInt(Integer::intValue).average().orElseThrow() - wy / w;
            q += r.size() / sigma2 * d * d;
        }
        double tau2 = Math.max(0, (q - (remaining.size() - 1)) / (w - w2 / w));
        TechniqueSummary melt = population("melt");
        assertEquals(Math.sqrt(sigma2), melt.withinPersonSd(), 1e-9);
        assertEquals(Math.sqrt(tau2), melt.betweenPersonSd(), 1e-9);
    }

    @Test
    void aDuplicateEventIdCountsOnceWhateverRepeatsIt() {
        Session s = session("u1", "shiatsu", MONDAY, 7, 4);
        send(s, s, s);
        assertEquals(1, population("shiatsu").sessions());
        // the same id re-sent with other values (a buggy app) is still the same event
        send(new Session(
                s.eventId(), "u1", "shiatsu", MONDAY, 10, 9, 0, Provider.PROFESSIONAL, null, null, null, null, null));
        assertEquals(1, population("shiatsu").sessions());
        assertEquals(3.0, population("shiatsu").meanReduction(), EPS);
    }

    @Test
    void negativeReductionsAndPainBeforeZeroAreHandled() {
        send(
                session("u1", "thai", MONDAY, 3, 6),
                session("u2", "thai", MONDAY, 0, 0),
                session("u3", "thai", MONDAY, 0, 2));
        TechniqueSummary thai = population("thai");
        assertEquals((-3 + 0 - 2) / 3.0, thai.meanReduction(), EPS);
        assertEquals(-100.0, thai.meanPercentReduction(), EPS, "only the session with painBefore > 0");
        assertEquals(0.0, thai.responderRate(), EPS, "0 of the 1 session that had pain");
        send(session("u5", "swedish", MONDAY, 0, 0));
        assertNull(population("swedish").responderRate(), "no session had pain to relieve");
        assertNull(views.trend("swedish", null, null).await().weeks().get(0).responderRate());

        send(session("u4", "swedish", MONDAY, 0, 0));
        assertNull(population("swedish").meanPercentReduction(), "no session with painBefore > 0");
    }

    private static Session paid(String user, int before, int after, long cents, String currency) {
        return new Session(
                UUID.randomUUID().toString(),
                user,
                "melt",
                MONDAY,
                30,
                before,
                after,
                Provider.PROFESSIONAL,
                cents,
                currency,
                null,
                null,
                null);
    }

    /**
     * The members store: a user joins an arm (per technique and for any technique) at their first tagged session,
     * a late earlier session moves their window back, a later one does not; forgetting them removes them.
     */
    @Test
    void armMembersStartAtTheirFirstTaggedSessionInAnyArrivalOrderAndLeaveWhenForgotten() {
        KeyValueStore<String, String> members = driver.getKeyValueStore(AnalyticsTopology.MEMBERS_STORE);
        String p = PSEUDONYMS.of("m1");
        send(
                session("m1", "melt", MONDAY.plusSeconds(7200), 6, 3, 10, null, "arm-a"),
                session("m1", "melt", MONDAY.plusSeconds(3600), 6, 3, 10, null, "arm-a"), // late, earlier
                session("m1", "shiatsu", MONDAY.plusSeconds(9000), 6, 3, 10, null, "arm-a"),
                session("m1", "melt", MONDAY, 6, 3, 10, null, null), // untagged: no arm
                session("m2", "melt", MONDAY.plusSeconds(60), 6, 3, 10, null, "arm-b"));
        assertEquals(MONDAY.plusSeconds(3600).toString(), members.get(JournalKeys.member("arm-a", "melt", p)));
        assertEquals(MONDAY.plusSeconds(3600).toString(), members.get(JournalKeys.member("arm-a", null, p)));
        assertEquals(MONDAY.plusSeconds(9000).toString(), members.get(JournalKeys.member("arm-a", "shiatsu", p)));
        List<String> armA = new ArrayList<>();
        try (var it = members.range(JournalKeys.armFrom("arm-a", null), JournalKeys.armTo("arm-a", null))) {
            it.forEachRemaining(kv -> armA.add(JournalKeys.memberOf(kv.key)));
        }
        assertEquals(List.of(p), armA, "m2 is in arm-b only");

        send(new UserForgotten(UUID.randomUUID().toString(), "m1", Instant.now()));
        try (var it = members.all()) {
            List<String> left = new ArrayList<>();
            it.forEachRemaining(kv -> left.add(kv.key));
            assertEquals(
                    List.of(
                            JournalKeys.member("arm-b", null, PSEUDONYMS.of("m2")),
                            JournalKeys.member("arm-b", "melt", PSEUDONYMS.of("m2"))),
                    left);
        }
    }

    /** Stores and changelogs key a user's rows by their pseudonym: no key or value holds the user id. */
    @Test
    void noStoreOrChangelogNamesTheUser() {
        String user = "alice-identifiable-7";
        send(session(user, "melt", MONDAY, 6, 3, 10, 500L, "arm-a"), entry(user, MONDAY.plusSeconds(20 * 3600), 2));
        assertEquals(1, population("melt").users());
        byte[] id = user.getBytes(StandardCharsets.UTF_8);
        int rows = 0;
        for (String store : AnalyticsTopology.STORES) {
            KeyValueStore<String, Object> kv = driver.getKeyValueStore(store);
            try (var it = kv.all()) {
                while (it.hasNext()) {
                    var row = it.next();
                    rows++;
                    assertFalse(row.key.contains(user), store + " key " + row.key);
                    assertFalse(String.valueOf(row.value).contains(user), store + " value " + row.value);
                }
            }
        }
        assertTrue(rows >= 8, "the rows were looked at: " + rows);
        for (String topic : driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                    topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            for (var r : changelog.readRecordsToList()) {
                assertFalse(contains(r.key(), id), topic + " key");
                assertFalse(contains(r.value(), id), topic + " value");
            }
        }
    }

    @Test
    void theFirstBeatGivesEveryStoreAChangelogRecordAndTheTasksKeysPartitionAHeartbeat() {
        TestOutputTopic<String, byte[]> keysOut = driver.createOutputTopic(
                Topics.KEYS_NAME,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
        driver.advanceWallClockTime(JournalProcessor.FIRST_BEAT);
        // every store then has a committed offset: a task with a store without one is wiped after a crash
        for (String store : AnalyticsTopology.STORES) {
            String changelog = AnalyticsRole.APPLICATION_ID + "-" + store + "-changelog";
            assertTrue(driver.producedTopicNames().contains(changelog), store + " has no changelog record");
        }
        String heartbeat = Topics.HEARTBEAT_KEY + "|0"; // the driver's one task is partition 0's
        assertEquals(List.of(heartbeat), keys(keysOut.readRecordsToList()), "the first beat rolls the keys topic");
        driver.advanceWallClockTime(java.time.Duration.ofHours(1));
        List<String> later = keys(keysOut.readRecordsToList());
        assertFalse(later.isEmpty(), "the periodic heartbeat rolls the keys topic");
        assertTrue(later.stream().allMatch(heartbeat::equals), later.toString());
    }

    private static List<String> keys(List<org.apache.kafka.streams.test.TestRecord<String, byte[]>> records) {
        return records.stream()
                .map(org.apache.kafka.streams.test.TestRecord::key)
                .toList();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void moneyIsNeverAddedAcrossCurrencies() {
        send(
                paid("u1", 6, 3, 3000, "GBP"),
                paid("u2", 6, 4, 1000, "EUR"),
                paid("u3", 5, 5, 500, "EUR"),
                paid("u4", 5, 6, 2000, "JPY"),
                session("u5", "melt", MONDAY, 4, 1));
        TechniqueSummary melt = population("melt");
        Map<String, Double> expected = new java.util.HashMap<>();
        expected.put("GBP", 3000.0 / 3);
        expected.put("EUR", 1500.0 / 2);
        expected.put("JPY", null); // its one costed session brought no relief
        assertEquals(expected, melt.costPerPointByCurrency());
        assertEquals(1000.0, melt.costPerPointCents(), EPS, "the reporting currency's entry (GBP)");
        assertEquals(
                750.0,
                new Views(reader, CLOCK, "EUR")
                        .population()
                        .await()
                        .techniques()
                        .get(0)
                        .costPerPointCents(),
                EPS,
                "REPORTING_CURRENCY=EUR");
        assertNull(
                new Views(reader, CLOCK, "USD")
                        .population()
                        .await()
                        .techniques()
                        .get(0)
                        .costPerPointCents(),
                "no session paid in the reporting currency");

        send(new UserForgotten(UUID.randomUUID().toString(), "u1", Instant.now()));
        assertFalse(population("melt").costPerPointByCurrency().containsKey("GBP"), "gone with its only payer");
        assertNull(population("melt").costPerPointCents());
    }

    @Test
    void costPerPointIsNullWhenTheCostedSessionsBroughtNoRelief() {
        send(
                session("u1", "deep-tissue", MONDAY, 5, 6, 60, 6000L, null),
                session("u2", "deep-tissue", MONDAY, 5, 1, 60, null, null));
        assertNull(population("deep-tissue").costPerPointCents(), "the one costed session has relief 0");

        send(session("u3", "deep-tissue", MONDAY, 5, 3, 60, 5000L, null));
        assertEquals(
                11000.0 / 2,
                population("deep-tissue").costPerPointCents(),
                EPS,
                "(6000 + 5000) ÷ (0 + 2): uncosted sessions are left out");

        send(session("u4", "partner", MONDAY, 6, 2, 20, 0L, null));
        assertEquals(0.0, population("partner").costPerPointCents(), EPS, "free relief costs 0 per point");
    }

    @Test
    void responderThresholdIsThirtyPercentExactly() {
        // 10·(10−7) = 30 ≥ 3·10: responder; 10·(7−5) = 20 < 21: not
        send(session("u1", "bath-ball", MONDAY, 10, 7), session("u2", "bath-ball", MONDAY, 7, 5));
        assertEquals(0.5, population("bath-ball").responderRate(), EPS);
    }

    // --- weeks, late and out-of-order events ------------------------------------------------------

    @Test
    void lateEventsLandInTheirOwnWeekAndTrendsHonourFromAndTo() {
        Instant thisWeek = Instant.parse("2026-11-18T12:00:00Z"); // week of 2026-11-16
        Instant monthsAgo = Instant.parse("2026-08-02T23:59:59Z"); // a Sunday: week of 2026-07-27
        Instant sundayNightPlusOne = Instant.parse("2026-08-03T00:00:00Z"); // Monday: week of 2026-08-03
        send(session("u1", "melt", thisWeek, 6, 3), session("u2", "melt", thisWeek, 4, 2));
        send(session("u1", "melt", monthsAgo, 8, 4), session("u1", "melt", sundayNightPlusOne, 5, 5));

        Results.TrendView trend = views.trend("melt", null, null).await();
        assertEquals(
                List.of(LocalDate.parse("2026-07-27"), LocalDate.parse("2026-08-03"), LocalDate.parse("2026-11-16")),
                trend.weeks().stream().map(Results.TrendWeek::weekStart).toList());
        Results.TrendWeek last = trend.weeks().get(2);
        assertEquals(2, last.sessions());
        assertEquals(2, last.users());
        assertEquals(5.0, last.meanPainBefore(), EPS);
        assertEquals(2.5, last.meanReduction(), EPS);
        assertEquals(1.0, last.responderRate(), EPS, "3/6 and 2/4 are both ≥ 30 %");

        // from inside a week includes that week; to is inclusive
        assertEquals(
                List.of(LocalDate.parse("2026-08-03")),
                views
                        .trend("melt", LocalDate.parse("2026-08-05"), LocalDate.parse("2026-08-03"))
                        .await()
                        .weeks()
                        .stream()
                        .map(Results.TrendWeek::weekStart)
                        .toList());
        assertTrue(views.trend("shiatsu", null, null).await().weeks().isEmpty());
    }

    // --- lasting relief -------------------------------------------------------------------------

    /**
     * Session 2026-11-17T10:00Z, painBefore 6. Entries at +12 h (excluded: the window is open there),
     * +22 h pain 2, +36 h pain 3 (included: closed there), +36 h 1 s (excluded). lasting = 6 − 2.5 = 3.5.
     */
    @Test
    void lastingReliefIsTheSameInEitherArrivalOrder() {
        Instant start = Instant.parse("2026-11-17T10:00:00Z");
        Session s = session("u1", "trigger-point", start, 6, 3);
        List<JournalEvent> entries = List.of(
                entry("u1", start.plusSeconds(12 * 3600), 0),
                entry("u1", start.plusSeconds(22 * 3600), 2),
                entry("u1", start.plusSeconds(36 * 3600), 3),
                entry("u1", start.plusSeconds(36 * 3600 + 1), 0));
        Session other = session("u2", "trigger-point", start, 5, 4); // no entries: no follow-up

        send(s, other);
        entries.forEach(this::send);
        TechniqueSummary sessionFirst = population("trigger-point");
        assertEquals(1, sessionFirst.followUps());
        assertEquals(3.5, sessionFirst.meanLastingReduction(), EPS);

        tearDown();
        setUp();
        List<JournalEvent> reversed = new ArrayList<>(entries);
        java.util.Collections.reverse(reversed);
        reversed.forEach(this::send);
        send(other, s);
        assertEquals(sessionFirst, population("trigger-point"), "entries first: the same answer");

        PersonalTechnique mine =
                views.personal("u1", journalOf("u1")).await().techniques().get(0);
        assertEquals(1, mine.followUps());
        assertEquals(3.5, mine.meanLastingReduction(), EPS);
    }

    // --- personal -------------------------------------------------------------------------------

    /**
     * Population melt: u1 reductions 4, 4, 4; u2 0, 0, 0, 0, 0. N 8, U 2, S 12, R2 48, B = 144/3 + 0 = 48,
     * Σn² = 34: μ 1.5, V = (48 − 18)/7 = 30/7, σ² = max(0.25, 0/6) = 0.25, Q = 30/0.25 = 120,
     * C = (8 − 34/8)/0.25 = 15, τ² = (120 − 1)/15 = 119/15, v = 119/15 + 30/56. u1's posterior: P = 1/v + 3/0.25,
     * mean (1.5/v + 12/0.25)/P = 3.97564 (the former rule said 2.75: u2 shows that people differ, so u1's own
     * sessions count for more). Melt is the only candidate: probability best 1, and u1 has 3 sessions of it.
     * Tennis-ball: one user, one session, no model: (6 + 3·6)/(1 + 3) = 6 → first, but not enough data.
     */
    @Test
    void personalViewPoolsTowardThePopulationAndFlagsEnoughData() {
        for (int i = 0; i < 3; i++) {
            send(session("u1", "melt", MONDAY.plusSeconds(i), 6, 2));
        }
        for (int i = 0; i < 5; i++) {
            send(session("u2", "melt", MONDAY.plusSeconds(i), 5, 5));
        }
        send(session("u1", "tennis-ball", MONDAY, 8, 2));

        Results.PersonalView view = views.personal("u1", journalOf("u1")).await();
        assertEquals(
                List.of("tennis-ball", "melt"),
                view.techniques().stream().map(PersonalTechnique::technique).toList(),
                "sorted by estimate");
        PersonalTechnique melt = view.techniques().get(1);
        assertEquals(3, melt.sessions());
        assertEquals(4.0, melt.meanReduction(), EPS);
        double v = 119.0 / 15 + 30.0 / 56;
        double precision = 1 / v + 3 / 0.25;
        assertEquals((1.5 / v + 12 / 0.25) / precision, melt.estimate(), EPS);
        assertEquals(3.97564, melt.estimate(), 1e-5);
        assertEquals(melt.estimate(), melt.posterior().mean(), 0);
        assertEquals(1 / Math.sqrt(precision), melt.posterior().sd(), EPS);
        assertEquals(0.25 / v, melt.posterior().priorSessions(), EPS);
        assertEquals(1, melt.posterior().probabilityBest(), 0);
        assertEquals(List.of(), view.untried());
        assertEquals(new Results.Suggestion("melt", 1, "most-likely-best"), view.suggestion());
        assertTrue(melt.enoughData());
        assertEquals(4.0, melt.ci95().low(), EPS, "no spread: a zero-width interval");
        PersonalTechnique tennis = view.techniques().get(0);
        assertEquals(6.0, tennis.estimate(), EPS);
        assertFalse(tennis.enoughData());
        assertNull(tennis.ci95());
        assertNull(tennis.posterior(), "no model: one session of one user says nothing of how sessions vary");
        Results.PersonalView nobody =
                views.personal("nobody", journalOf("nobody")).await();
        assertEquals(1, nobody.untried().size(), "melt, the one candidate, untried");
        assertEquals(1.5, nobody.untried().get(0).posterior().mean(), EPS, "the prior: μ");
        assertEquals(Math.sqrt(v), nobody.untried().get(0).posterior().sd(), EPS, "the prior: √v");
        assertEquals(new Results.Suggestion("melt", 1, "worth-trying"), nobody.suggestion());

        assertTrue(views.personal("nobody", journalOf("nobody"))
                .await()
                .techniques()
                .isEmpty());
    }

    /**
     * Rule 3 of the small groups: the same journal as above. At k = 2, melt (2 users) is published and has a
     * model (3.97564, as above); tennis-ball (1 user) is not, so the all-sessions mean pools: (12 + 0 + 6) / 9 = 2,
     * and the estimate is (6 + 3·2) / (1 + 3) = 3. At k = 3 no technique has 3 users: no model, no pooling, own
     * means.
     */
    @Test
    void personalEstimatesPoolOnlyMeansOfPublishedGroups() {
        for (int i = 0; i < 3; i++) {
            send(session("u1", "melt", MONDAY.plusSeconds(i), 6, 2));
        }
        for (int i = 0; i < 5; i++) {
            send(session("u2", "melt", MONDAY.plusSeconds(i), 5, 5));
        }
        send(session("u1", "tennis-ball", MONDAY, 8, 2));

        Map<String, Double> atTwo = estimates(new Views(reader, CLOCK, "GBP", 2));
        assertEquals(3.97564, atTwo.get("melt"), 1e-5);
        assertEquals(3.0, atTwo.get("tennis-ball"), EPS, "the all-sessions mean, not tennis-ball's own 6");
        Map<String, Double> atThree = estimates(new Views(reader, CLOCK, "GBP", 3));
        assertEquals(4.0, atThree.get("melt"), EPS, "no pooling: the own mean");
        assertEquals(6.0, atThree.get("tennis-ball"), EPS);
        Results.PersonalView noModel = new Views(reader, CLOCK, "GBP", 3)
                .personal("u1", journalOf("u1"))
                .await();
        assertNull(noModel.suggestion(), "no candidate below k");
        assertEquals(List.of(), noModel.untried());
        assertTrue(noModel.techniques().stream().allMatch(t -> t.posterior() == null));
    }

    private Map<String, Double> estimates(Views at) {
        Map<String, Double> estimates = new java.util.HashMap<>();
        at.personal("u1", journalOf("u1"))
                .await()
                .techniques()
                .forEach(t -> estimates.put(t.technique(), t.estimate()));
        return estimates;
    }

    @Test
    void personalTrendAndJournalWeeks() {
        Instant tue = Instant.parse("2026-11-17T08:00:00Z");
        send(
                session("u1", "melt", tue, 6, 3),
                session("u1", "tennis-ball", tue, 4, 4),
                session("u1", "melt", tue.minusSeconds(7 * 86400), 8, 8));
        Results.PersonalTrendView melt = views.personalTrend("u1", journalOf("u1"), "melt", null, null);
        assertEquals(2, melt.weeks().size());
        assertEquals(LocalDate.parse("2026-11-09"), melt.weeks().get(0).weekStart());
        assertEquals(0.0, melt.weeks().get(0).meanReduction(), EPS);
        assertEquals(1, melt.weeks().get(1).users());
        Results.PersonalTrendView everything =
                views.personalTrend("u1", journalOf("u1"), null, LocalDate.parse("2026-11-16"), null);
        assertEquals(1, everything.weeks().size());
        assertEquals(2, everything.weeks().get(0).sessions());
        assertEquals(1.5, everything.weeks().get(0).meanReduction(), EPS);

        // two headache entries on one UTC date count one day; a mean over entries that carried the field
        send(
                new PainScore(
                        UUID.randomUUID().toString(),
                        "u1",
                        Instant.parse("2026-11-17T07:00:00Z"),
                        4,
                        6,
                        null,
                        null,
                        null,
                        true),
                new PainScore(
                        UUID.randomUUID().toString(),
                        "u1",
                        Instant.parse("2026-11-17T21:00:00Z"),
                        6,
                        null,
                        3,
                        null,
                        null,
                        true),
                new PainScore(
                        UUID.randomUUID().toString(),
                        "u1",
                        Instant.parse("2026-11-22T23:59:59Z"),
                        5,
                        8,
                        null,
                        null,
                        null,
                        false),
                new PainScore(
                        UUID.randomUUID().toString(),
                        "u1",
                        Instant.parse("2026-11-23T00:00:00Z"),
                        2,
                        null,
                        null,
                        null,
                        null,
                        null));
        Results.JournalView weeks = views.journal("u1", journalOf("u1"), null, null);
        assertEquals(2, weeks.weeks().size());
        Results.JournalWeek w = weeks.weeks().get(0);
        assertEquals(LocalDate.parse("2026-11-16"), w.weekStart());
        assertEquals(3, w.entries());
        assertEquals(5.0, w.meanPain(), EPS);
        assertEquals(7.0, w.meanSleepQuality(), EPS);
        assertEquals(3.0, w.meanStress(), EPS);
        assertNull(w.meanMood());
        assertEquals(1, w.headacheDays());
        assertEquals(LocalDate.parse("2026-11-23"), weeks.weeks().get(1).weekStart());
        assertEquals(
                1,
                views.journal("u1", journalOf("u1"), LocalDate.parse("2026-11-23"), null)
                        .weeks()
                        .size());
    }

    // --- research -------------------------------------------------------------------------------

    @Test
    void researchRowsPerCohortAndWeekAreSuppressedBelowK() {
        for (int u = 0; u < 5; u++) {
            send(session("a" + u, "melt", MONDAY, 6, 3, 10, null, "arm-a"));
        }
        for (int u = 0; u < 4; u++) {
            send(session("b" + u, "melt", MONDAY, 6, 4, 10, null, "arm-b"));
        }
        send(session("c0", "melt", MONDAY, 5, 5), session("c0", "melt", MONDAY.plusSeconds(60), 7, 5));

        List<ResearchRow> rows = views.research(new ResearchFilter(null, null, null, null, 5), null, 100)
                .await()
                .rows();
        assertEquals(
                List.of("arm-a", "arm-b", "none"),
                rows.stream().map(ResearchRow::cohort).toList());
        ResearchRow a = rows.get(0);
        assertFalse(a.suppressed());
        assertEquals(5L, a.users());
        assertEquals(5L, a.sessions());
        assertEquals(6.0, a.meanPainBefore(), EPS);
        assertEquals(3.0, a.meanReduction(), EPS);
        assertEquals(0.0, a.sdReduction(), EPS);
        assertEquals(1.0, a.responderRate(), EPS);
        ResearchRow b = rows.get(1);
        assertTrue(b.suppressed(), "4 users < k = 5");
        assertEquals("melt", b.technique());
        assertEquals(LocalDate.parse("2026-11-16"), b.weekStart());
        assertNull(b.users());
        assertNull(b.sessions());
        assertNull(b.meanReduction());
        assertTrue(rows.get(2).suppressed(), "one user with two sessions");

        List<ResearchRow> k4 = views.research(new ResearchFilter(null, null, null, null, 4), null, 100)
                .await()
                .rows();
        assertFalse(k4.get(0).suppressed());
        assertTrue(k4.get(2).suppressed(), "1 user < k = 4");
        assertTrue(
                k4.get(1).suppressed(),
                "complementary: the week minus the shown rows would give the lone 1-user row, so the next smallest"
                        + " row (arm-b, 4 users) is suppressed with it");
        assertFalse(a.suppressed(), "exactly k users is enough (arm-a, 5 at k = 5)");

        assertEquals(
                List.of("arm-b"),
                views.research(new ResearchFilter(null, null, "melt", "arm-b", 5), null, 100).await().rows().stream()
                        .map(ResearchRow::cohort)
                        .toList());
        assertTrue(views.research(new ResearchFilter(LocalDate.parse("2026-11-23"), null, null, null, 5), null, 100)
                .await()
                .rows()
                .isEmpty());
        assertTrue(views.research(new ResearchFilter(null, null, "thai", null, 5), null, 100)
                .await()
                .rows()
                .isEmpty());
    }

    @Test
    void researchPagesCoverEveryRowOnceInKeyOrder() {
        for (int w = 0; w < 30; w++) {
            send(session("u1", "melt", MONDAY.minusSeconds(w * 7L * 86400), 6, 3));
        }
        ResearchFilter all = new ResearchFilter(null, null, null, null, 1);
        List<ResearchRow> seen = new ArrayList<>();
        String after = null;
        do {
            Results.ResearchPage page = views.research(all, after, 7).await();
            seen.addAll(page.rows());
            after = page.next();
        } while (after != null);
        assertEquals(30, seen.size());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1).weekStart().isBefore(seen.get(i).weekStart()));
        }
    }

    // --- bad records -----------------------------------------------------------------------------

    @Test
    void aCorruptRecordOnTheTopicIsSkippedAndCountingGoesOn() {
        double before = counted();
        send(session("u1", "melt", MONDAY, 6, 3));
        String p = PSEUDONYMS.of("u1");
        journal.journal.pipeInput(p, "not sealed".getBytes(StandardCharsets.UTF_8));
        journal.journal.pipeInput(p, null);
        journal.journal.pipeInput(p, journal.seal("u1", "not json".getBytes(StandardCharsets.UTF_8), false));
        journal.journal.pipeInput(
                p,
                journal.seal(
                        "u1",
                        "{\"type\":\"massage\",\"eventId\":\"x\",\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_8),
                        false));
        send(session("u1", "melt", MONDAY, 5, 1));
        assertEquals(2, population("melt").sessions(), "both good sessions count; the bad records are skipped");
        assertEquals(4.0, counted() - before, "each is a dead letter");
    }

    @Test
    void aRecordKeyedByAnotherUsersPseudonymIsADeadLetter() {
        double before = counted();
        send(session("u1", "melt", MONDAY, 6, 3), session("u2", "melt", MONDAY, 6, 3));
        // sealed for u2 (their key, their pseudonym as associated data) but holding an event of u1
        byte[] u1InU2 =
                journal.seal("u2", io.painjournal.events.EventCodec.encode(session("u1", "melt", MONDAY, 9, 0)), false);
        journal.journal.pipeInput(PSEUDONYMS.of("u2"), u1InU2);
        assertEquals(2, population("melt").sessions());
        assertEquals(1.0, counted() - before);
    }

    /**
     * Forgetting destroys every data key the user's events used (a tombstone and an erasure marker each,
     * on the keys topic); their sealed records, read again (as when state is rebuilt from the journal),
     * open no more and are skipped, not held and not dead letters.
     */
    @Test
    void forgettingDestroysEveryDataKeyOfTheUserAndTheirOldRecordsAreSkipped() {
        String gone = "gone-user";
        byte[] first = journal.seal(session(gone, "melt", MONDAY, 9, 1));
        journal.journal.pipeInput(PSEUDONYMS.of(gone), first);
        journal.newKey(gone); // e.g. a second ingest instance
        byte[] second = journal.seal(session(gone, "melt", MONDAY, 8, 2));
        journal.journal.pipeInput(PSEUDONYMS.of(gone), second);
        send(session("stays", "melt", MONDAY, 5, 4));
        String p = PSEUDONYMS.of(gone);
        String k1 = p + "|" + io.painjournal.privacy.DataKeys.keyIdOf(first);
        String k2 = p + "|" + io.painjournal.privacy.DataKeys.keyIdOf(second);
        KeyValueStore<String, byte[]> keys = driver.getKeyValueStore(AnalyticsTopology.KEYS_STORE);
        assertTrue(keys.get(k1) != null && keys.get(k2) != null, "two live keys");
        TestOutputTopic<String, byte[]> keysOut = keysOutput();

        send(new UserForgotten(UUID.randomUUID().toString(), gone, Instant.now()));
        List<org.apache.kafka.streams.test.TestRecord<String, byte[]>> erasures = keysOut.readRecordsToList();
        // both keys (the forget was sealed with the second), each with a tombstone and a marker
        assertEquals(4, erasures.size(), erasures.toString());
        for (var r : erasures) {
            assertTrue(r.key().startsWith(p + "|"), r.key());
            assertTrue(
                    r.key().endsWith("|erased") ? r.value().length == 1 : r.value() == null,
                    "a tombstone for the key, a one-byte marker beside it");
        }
        assertNull(keys.get(k1));
        assertNull(keys.get(k2));
        assertTrue(keys.get(k1 + "|erased") != null);
        assertEquals(1, population("melt").users());

        double dead = counted();
        var shredded = registry.find(AnalyticsTopology.SHREDDED).counter();
        double before = shredded.count();
        journal.journal.pipeInput(p, first);
        journal.journal.pipeInput(p, second);
        assertEquals(2.0, shredded.count() - before, "painjournal_analytics_shredded_total");
        assertEquals(dead, counted(), "not dead letters");
        assertEquals(1, population("melt").users());
        assertEquals(1, population("melt").sessions());
    }

    /**
     * An event that comes before its data key (Streams takes the journal and the keys topic by timestamp:
     * the same millisecond, or a late fetch of the key, can put the event first) is held, not waited for and
     * not a dead letter, and counted when its key comes.
     */
    @Test
    void anEventThatComesBeforeItsKeyIsHeldAndCountedWhenTheKeyComes() {
        double dead = counted();
        String p = PSEUDONYMS.of("u1");
        var dataKeys = new io.painjournal.privacy.DataKeys(MASTER);
        var key = dataKeys.newKey();
        pipeSealedWith(key, session("u1", "melt", MONDAY, 6, 3));
        pipeSealedWith(key, session("u1", "melt", MONDAY, 7, 3));
        assertTrue(views.population().await().techniques().isEmpty(), "not counted before its key");
        assertEquals(2, count(driver.getKeyValueStore(AnalyticsTopology.PENDING_STORE)), "held");
        journal.keys.pipeInput(key.recordKey(p), dataKeys.wrap(key.recordKey(p), key));
        assertEquals(2, population("melt").sessions(), "both counted when the key came");
        assertEquals(0, count(driver.getKeyValueStore(AnalyticsTopology.PENDING_STORE)), "none held any more");
        assertEquals(dead, counted(), "no dead letter");
    }

    /** An event held for a key that is then erased (its user forgotten) is dropped, never counted. */
    @Test
    void anEventHeldForAKeyThatIsErasedIsDropped() {
        String p = PSEUDONYMS.of("u1");
        var dataKeys = new io.painjournal.privacy.DataKeys(MASTER);
        var key = dataKeys.newKey();
        pipeSealedWith(key, session("u1", "melt", MONDAY, 6, 3));
        var shredded = registry.find(AnalyticsTopology.SHREDDED).counter();
        double before = shredded.count();
        journal.keys.pipeInput(key.recordKey(p) + Topics.ERASED_SUFFIX, Topics.ERASED);
        assertEquals(1.0, shredded.count() - before, "painjournal_analytics_shredded_total");
        assertEquals(0, count(driver.getKeyValueStore(AnalyticsTopology.PENDING_STORE)));
        journal.keys.pipeInput(key.recordKey(p), dataKeys.wrap(key.recordKey(p), key)); // an old copy of the key
        assertTrue(views.population().await().techniques().isEmpty());
    }

    /**
     * Forgetting a user also drops their events still waiting for a key, and destroys that key too: it must
     * not bring them back when it comes.
     */
    @Test
    void forgettingAUserDropsTheirEventsStillWaitingForAKeyAndDestroysIt() {
        String gone = "gone-user";
        String p = PSEUDONYMS.of(gone);
        send(session(gone, "melt", MONDAY, 9, 1));
        var dataKeys = new io.painjournal.privacy.DataKeys(MASTER);
        var late = dataKeys.newKey();
        pipeSealedWith(late, session(gone, "melt", MONDAY, 8, 2));
        TestOutputTopic<String, byte[]> keysOut = keysOutput();
        send(new UserForgotten(UUID.randomUUID().toString(), gone, Instant.now()));
        assertTrue(
                keys(keysOut.readRecordsToList()).contains(late.recordKey(p) + Topics.ERASED_SUFFIX),
                "the key the held event waited for is destroyed too");
        assertEquals(0, count(driver.getKeyValueStore(AnalyticsTopology.PENDING_STORE)));
        journal.keys.pipeInput(late.recordKey(p), dataKeys.wrap(late.recordKey(p), late)); // its record comes late
        assertTrue(views.population().await().techniques().isEmpty(), "nothing of the user counts");
    }

    /** An event sealed with {@code key}, as ingest would seal it, piped without its key. */
    private void pipeSealedWith(io.painjournal.privacy.DataKeys.DataKey key, JournalEvent event) {
        String p = PSEUDONYMS.of(event.userId());
        journal.journal.pipeInput(
                p,
                new io.painjournal.privacy.DataKeys(MASTER)
                        .seal(p, key, io.painjournal.events.EventCodec.encode(event)));
    }

    private static long count(KeyValueStore<String, byte[]> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /**
     * The copy on the dead-letter topic is Kafka Streams' own, which the test driver does not send; PrivacyIT
     * reads it from a real broker. Here: the handler builds it with the reason and the offset, and counts.
     */
    @Test
    void aSessionWithoutPainBeforeIsADeadLetterWithItsReasonAndOffsetAndIsNotCounted() {
        double before = counted();
        send(session("u1", "melt", MONDAY, 6, 3));
        String lacking = new String(
                        io.painjournal.events.EventCodec.encode(session("u1", "melt", MONDAY, 9, 0)),
                        StandardCharsets.UTF_8)
                .replaceFirst("\"painBefore\":9,", "");
        byte[] value = journal.seal("u1", lacking.getBytes(StandardCharsets.UTF_8), false);
        journal.journal.pipeInput(PSEUDONYMS.of("u1"), value);
        send(session("u1", "melt", MONDAY, 5, 1));

        assertEquals(2, population("melt").sessions(), "the session without painBefore is not counted as a 0");
        assertEquals(7.0 / 2, population("melt").meanReduction(), EPS);
        assertEquals(1.0, counted() - before, "painjournal_analytics_dead_letters_total counts it");

        UnreadableRecordHandler handler = new UnreadableRecordHandler();
        handler.configure(Map.of(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                Topics.DEAD_LETTERS.name(),
                DeadLetterHandler.REGISTRY_CONFIG,
                registry));
        byte[] key = PSEUDONYMS.of("u1").getBytes(StandardCharsets.UTF_8);
        var context = new org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext(
                null,
                Topics.JOURNAL.name(),
                3,
                41L,
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                "apply-to-journal",
                new org.apache.kafka.streams.processor.TaskId(0, 3),
                0L,
                key,
                value);
        var response = handler.handleError(
                context,
                new org.apache.kafka.streams.processor.api.Record<>(PSEUDONYMS.of("u1"), value, 0L),
                new UnreadableRecordException("journal record lacks 'painBefore'"));
        assertEquals(1, response.deadLetterQueueRecords().size());
        var letter = response.deadLetterQueueRecords().get(0);
        assertEquals(Topics.DEAD_LETTERS.name(), letter.topic());
        assertArrayEquals(value, letter.value(), "the record as it was: still sealed");
        assertEquals("journal record lacks 'painBefore'", header(letter.headers(), "__streams.errors.message"));
        assertEquals("41", header(letter.headers(), "__streams.errors.offset"));
        assertEquals("3", header(letter.headers(), "__streams.errors.partition"));
        assertEquals(
                org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result.FAIL,
                handler.handleError(
                                context,
                                new org.apache.kafka.streams.processor.api.Record<>("k", value, 0L),
                                new IllegalStateException("a fault of analytics, not of the record"))
                        .result(),
                "any other exception stops the task instead of skipping the record");
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private double counted() {
        io.micrometer.core.instrument.Counter c =
                registry.find(DeadLetterHandler.DEAD_LETTERS).counter();
        return c == null ? 0 : c.count();
    }

    // --- forgetting -----------------------------------------------------------------------------

    @Test
    void forgettingAUserRemovesEveryContributionAndTheirOldIdsStayDead() {
        Session mine = session("gone", "melt", MONDAY, 9, 1, 10, 100L, "arm-a");
        PainScore myEntry = entry("gone", MONDAY.plusSeconds(20 * 3600), 2);
        Session theirs = session("stays", "melt", MONDAY, 5, 4, 10, null, "arm-a");
        send(mine, myEntry, theirs);
        assertEquals(2, population("melt").users());

        send(new UserForgotten(UUID.randomUUID().toString(), "gone", Instant.now()));
        TechniqueSummary melt = population("melt");
        assertEquals(1, melt.users());
        assertEquals(1, melt.sessions());
        assertEquals(1.0, melt.meanReduction(), EPS);
        assertEquals(0, melt.followUps());
        assertNull(melt.costPerPointCents());
        assertEquals(1, views.trend("melt", null, null).await().weeks().get(0).users());
        assertEquals(
                1L,
                views.research(new ResearchFilter(null, null, null, null, 1), null, 10)
                        .await()
                        .rows()
                        .get(0)
                        .users());
        assertTrue(
                views.personal("gone", journalOf("gone")).await().techniques().isEmpty(), "as for a new user");
        assertTrue(views.journal("gone", journalOf("gone"), null, null).weeks().isEmpty());

        send(mine, myEntry); // a stale offline queue re-posts the old ids
        assertEquals(1, population("melt").sessions(), "nothing comes back");

        send(session("gone", "melt", MONDAY, 4, 2)); // but new events count, as for a new user
        assertEquals(2, population("melt").users());

        send(
                new UserForgotten(UUID.randomUUID().toString(), "stays", Instant.now()),
                new UserForgotten(UUID.randomUUID().toString(), "gone", Instant.now()));
        assertTrue(views.population().await().techniques().isEmpty(), "no technique without sessions is listed");
        assertTrue(views.trend("melt", null, null).await().weeks().isEmpty());
        assertTrue(views.research(new ResearchFilter(null, null, null, null, 1), null, 10)
                .await()
                .rows()
                .isEmpty());
    }
}
