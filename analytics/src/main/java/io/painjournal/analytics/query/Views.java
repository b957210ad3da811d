package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.AggregateKey;
import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.journal.Weeks;
import io.painjournal.analytics.stats.Disclosure;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.analytics.stats.Summary;
import io.painjournal.analytics.stats.TechniqueModel;
import io.painjournal.query.ResearchFilter;
import io.painjournal.query.Results.Interval;
import io.painjournal.query.Results.JournalView;
import io.painjournal.query.Results.JournalWeek;
import io.painjournal.query.Results.PersonalTrendView;
import io.painjournal.query.Results.PersonalView;
import io.painjournal.query.Results.PopulationView;
import io.painjournal.query.Results.ResearchPage;
import io.painjournal.query.Results.ResearchRow;
import io.painjournal.query.Results.TechniqueSummary;
import io.painjournal.query.Results.TrendView;
import io.painjournal.query.Results.TrendWeek;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes every answer of API.md section 4 from the aggregates table and a user's journal. Pure apart
 * from reading the aggregates, which may be far away (a peer over HTTP), so the answers that read them
 * are futures; the same code answers over a test driver's stores and over interactive queries.
 */
public final class Views {

    private static final int PAGE = 500;

    private final AggregateReader aggregates;
    private final Clock clock;

    /** The currency of {@code costPerPointCents} ({@code REPORTING_CURRENCY}). */
    public static final String DEFAULT_REPORTING_CURRENCY = "GBP";

    private final String reportingCurrency;
    /** k of the small-groups rule for the population items and trends (research requests may raise it). */
    private final int minUsers;

    /** Views with nothing suppressed (k = 1), for tests of the statistics. */
    public Views(AggregateReader aggregates, Clock clock) {
        this(aggregates, clock, DEFAULT_REPORTING_CURRENCY, 1);
    }

    public Views(AggregateReader aggregates, Clock clock, String reportingCurrency) {
        this(aggregates, clock, reportingCurrency, 1);
    }

    public Views(AggregateReader aggregates, Clock clock, String reportingCurrency, int minUsers) {
        this.aggregates = aggregates;
        this.clock = clock;
        this.reportingCurrency = reportingCurrency;
        this.minUsers = minUsers;
    }

    // --- population -----------------------------------------------------------------------------

    public Future<PopulationView> population() {
        Future<List<AggregateReader.Row>> techniques =
                all(AggregateKey.TECHNIQUE, AggregateKey.TECHNIQUE + AggregateKey.END);
        Future<Map<String, Map<String, Double>>> money = costPerPointByCurrency();
        return Future.all(techniques, money).map(both -> {
            List<TechniqueSummary> items = new ArrayList<>();
            for (AggregateReader.Row row : techniques.result()) {
                if (!row.stats().isEmpty()) {
                    String technique = AggregateKey.techniqueOf(row.key());
                    items.add(
                            row.stats().users() < minUsers
                                    ? TechniqueSummary.suppressed(technique)
                                    : summary(
                                            technique,
                                            row.stats(),
                                            money.result().getOrDefault(technique, Map.of()),
                                            reportingCurrency,
                                            TechniqueModel.of(row.stats(), minUsers)));
                }
            }
            // highest mean reduction first; suppressed items last, by id
            items.sort(Comparator.comparing(
                            TechniqueSummary::meanReduction, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(TechniqueSummary::technique));
            return new PopulationView(asOf(), items);
        });
    }

    /**
     * Each technique's cost per point of relief, per currency: money is never added across currencies.
     * A currency's figure is null when its costed sessions brought no relief.
     */
    private Future<Map<String, Map<String, Double>>> costPerPointByCurrency() {
        return all(AggregateKey.COST, AggregateKey.COST + AggregateKey.END).map(rows -> {
            Map<String, Map<String, Double>> byTechnique = new HashMap<>();
            for (AggregateReader.Row row : rows) {
                if (row.stats().costedSessions() > 0) {
                    String[] key = AggregateKey.costOf(row.key());
                    byTechnique
                            .computeIfAbsent(key[0], t -> new TreeMap<>())
                            .put(key[1], Summary.costPerPointCents(row.stats()));
                }
            }
            return byTechnique;
        });
    }

    static TechniqueSummary summary(
            String technique,
            Stats s,
            Map<String, Double> costPerPoint,
            String reportingCurrency,
            TechniqueModel model) {
        return new TechniqueSummary(
                technique,
                s.sessions(),
                s.users(),
                Summary.meanReduction(s),
                Summary.sdReduction(s),
                interval(Summary.ci95(s)),
                Summary.meanPercentReduction(s),
                Summary.responderRate(s),
                Summary.meanDurationMinutes(s),
                costPerPoint.get(reportingCurrency),
                Collections.unmodifiableMap(costPerPoint),
                s.followUps(),
                Summary.meanLastingReduction(s),
                model == null ? null : model.withinSd(),
                model == null ? null : model.betweenSd(),
                false);
    }

    /**
     * A technique's weekly trend. Weeks of fewer than k users are suppressed, and further weeks (smallest
     * first) so that the technique's item minus the shown weeks covers at least k people ({@link Disclosure});
     * the choice is made over all of the technique's weeks, so it does not depend on {@code from} and {@code to}.
     */
    public Future<TrendView> trend(String technique, LocalDate from, LocalDate to) {
        String prefix = AggregateKey.weekPrefix(technique);
        String key = AggregateKey.technique(technique);
        return Future.all(all(key, key), all(prefix, prefix + AggregateKey.END)).map(both -> {
            List<AggregateReader.Row> item = both.resultAt(0);
            List<AggregateReader.Row> rows = both.resultAt(1);
            long users = item.isEmpty() ? 0 : item.get(0).stats().users();
            List<Disclosure.Cell> cells = new ArrayList<>();
            for (AggregateReader.Row row : rows) {
                if (!row.stats().isEmpty()) {
                    cells.add(cell(row));
                }
            }
            java.util.Set<String> hidden = Disclosure.suppressParts(users, cells, minUsers);
            LocalDate fromWeek = from == null ? null : Weeks.weekStart(from);
            List<TrendWeek> weeks = new ArrayList<>();
            for (AggregateReader.Row row : rows) {
                LocalDate week = AggregateKey.weekOf(technique, row.key());
                if (row.stats().isEmpty()
                        || (fromWeek != null && week.isBefore(fromWeek))
                        || (to != null && week.isAfter(to))) {
                    continue;
                }
                weeks.add(hidden.contains(row.key()) ? TrendWeek.suppressed(week) : week(week, row.stats()));
            }
            return new TrendView(asOf(), technique, weeks);
        });
    }

    private static Disclosure.Cell cell(AggregateReader.Row row) {
        return new Disclosure.Cell(row.key(), row.stats().users(), row.stats().sessions());
    }

    static TrendWeek week(LocalDate weekStart, Stats s) {
        return new TrendWeek(
                weekStart,
                s.sessions(),
                s.users(),
                Summary.meanPainBefore(s),
                Summary.meanReduction(s),
                Summary.responderRate(s),
                false);
    }

    /**
     * A page of research rows after {@code after} (null: from the start), at most {@code limit}. Rows of fewer
     * than k users are suppressed, and further rows of the same week (smallest first) so that the week minus
     * its shown rows covers at least k people; decided over all rows, whatever the filter.
     */
    public Future<ResearchPage> research(ResearchFilter filter, String after, int limit) {
        return hiddenResearchRows(filter.technique(), filter.minUsers())
                .compose(hidden -> research(filter, after, limit, new ArrayList<>(), hidden));
    }

    /** The research rows suppressed at k, for one technique or (null) all. */
    private Future<java.util.Set<String>> hiddenResearchRows(String technique, int k) {
        String weeks = technique == null ? AggregateKey.WEEK : AggregateKey.weekPrefix(technique);
        String rows = AggregateKey.researchPrefix(technique);
        return Future.all(all(weeks, weeks + AggregateKey.END), all(rows, rows + AggregateKey.END))
                .map(both -> {
                    Map<String, Long> weekUsers = new HashMap<>();
                    for (AggregateReader.Row w : both.<List<AggregateReader.Row>>resultAt(0)) {
                        weekUsers.put(w.key(), w.stats().users());
                    }
                    Map<String, List<Disclosure.Cell>> byWeek = new HashMap<>();
                    for (AggregateReader.Row r : both.<List<AggregateReader.Row>>resultAt(1)) {
                        if (!r.stats().isEmpty()) {
                            AggregateKey.Research key = AggregateKey.Research.parse(r.key());
                            byWeek.computeIfAbsent(
                                            AggregateKey.week(key.technique(), key.weekStart()), w -> new ArrayList<>())
                                    .add(cell(r));
                        }
                    }
                    java.util.Set<String> hidden = new java.util.HashSet<>();
                    byWeek.forEach((week, cells) ->
                            hidden.addAll(Disclosure.suppressParts(weekUsers.getOrDefault(week, 0L), cells, k)));
                    return hidden;
                });
    }

    /** Reads pages of the research range after {@code cursor}, keeping the rows that pass the filter. */
    private Future<ResearchPage> research(
            ResearchFilter filter, String cursor, int limit, List<ResearchRow> rows, java.util.Set<String> hidden) {
        String prefix = AggregateKey.researchPrefix(filter.technique());
        LocalDate fromWeek = filter.from() == null ? null : Weeks.weekStart(filter.from());
        return aggregates.page(prefix, prefix + AggregateKey.END, cursor, PAGE).compose(page -> {
            String last = cursor;
            for (AggregateReader.Row row : page) {
                last = row.key();
                AggregateKey.Research key = AggregateKey.Research.parse(row.key());
                if (row.stats().isEmpty()
                        || (filter.cohort() != null && !filter.cohort().equals(key.cohort()))
                        || (fromWeek != null && key.weekStart().isBefore(fromWeek))
                        || (filter.to() != null && key.weekStart().isAfter(filter.to()))) {
                    continue;
                }
                rows.add(researchRow(
                        key.technique(), key.cohort(), key.weekStart(), row.stats(), hidden.contains(row.key())));
                if (rows.size() == limit) {
                    return Future.succeededFuture(new ResearchPage(rows, last));
                }
            }
            return page.size() < PAGE
                    ? Future.succeededFuture(new ResearchPage(rows, null))
                    : research(filter, last, limit, rows, hidden);
        });
    }

    static ResearchRow researchRow(String technique, String cohort, LocalDate weekStart, Stats s, boolean suppressed) {
        if (suppressed) {
            return new ResearchRow(technique, cohort, weekStart, null, null, null, null, null, null, true);
        }
        return new ResearchRow(
                technique,
                cohort,
                weekStart,
                s.users(),
                s.sessions(),
                Summary.meanPainBefore(s),
                Summary.meanReduction(s),
                Summary.sdReduction(s),
                Summary.responderRate(s),
                false);
    }

    // --- one user -------------------------------------------------------------------------------

    /** "Which technique helps me most": the user's own statistics pooled toward the population's. */
    public Future<PersonalView> personal(String userId, UserJournal journal) {
        return populationStats().map(population -> personal(userId, journal, population));
    }

    /** Each technique's population statistics (the prior of the personal estimates). */
    public Future<Map<String, Stats>> populationStats() {
        return all(AggregateKey.TECHNIQUE, AggregateKey.TECHNIQUE + AggregateKey.END)
                .map(rows -> {
                    Map<String, Stats> population = new HashMap<>();
                    for (AggregateReader.Row row : rows) {
                        population.put(AggregateKey.techniqueOf(row.key()), row.stats());
                    }
                    return population;
                });
    }

    /** The same, with the population's statistics given (see {@link #populationStats()}): {@link PersonalEffects}. */
    public PersonalView personal(String userId, UserJournal journal, Map<String, Stats> population) {
        return PersonalEffects.view(asOf(), userId, journal, population, minUsers);
    }

    /** The user's own weekly series; {@code technique} null means every technique together. */
    public PersonalTrendView personalTrend(
            String userId, UserJournal journal, String technique, LocalDate from, LocalDate to) {
        TreeMap<LocalDate, Stats> byWeek = new TreeMap<>();
        if (journal != null) {
            for (SessionFact s : journal.sessions()) {
                LocalDate week = Weeks.weekStart(s.startedAt());
                if ((technique == null || technique.equals(s.technique())) && inRange(week, from, to)) {
                    byWeek.merge(week, journal.statsOf(s, false), Stats::plus);
                }
            }
        }
        List<TrendWeek> weeks = new ArrayList<>();
        byWeek.forEach((week, s) -> weeks.add(week(week, s.withUsers(1))));
        return new PersonalTrendView(asOf(), userId, technique, weeks);
    }

    /** The user's journal entries by ISO week. */
    public JournalView journal(String userId, UserJournal journal, LocalDate from, LocalDate to) {
        TreeMap<LocalDate, List<EntryFact>> byWeek = new TreeMap<>();
        if (journal != null) {
            for (EntryFact e : journal.entries()) {
                LocalDate week = Weeks.weekStart(e.recordedAt());
                if (inRange(week, from, to)) {
                    byWeek.computeIfAbsent(week, w -> new ArrayList<>()).add(e);
                }
            }
        }
        List<JournalWeek> weeks = new ArrayList<>();
        byWeek.forEach((week, entries) -> {
            Set<LocalDate> headacheDays = new HashSet<>();
            for (EntryFact e : entries) {
                if (Boolean.TRUE.equals(e.headache())) {
                    headacheDays.add(LocalDate.ofInstant(e.recordedAt(), ZoneOffset.UTC));
                }
            }
            weeks.add(new JournalWeek(
                    week,
                    entries.size(),
                    mean(entries, EntryFact::pain),
                    mean(entries, EntryFact::sleepQuality),
                    mean(entries, EntryFact::stress),
                    mean(entries, EntryFact::mood),
                    mean(entries, EntryFact::anxiety),
                    headacheDays.size()));
        });
        return new JournalView(asOf(), userId, weeks);
    }

    /** When an answer is made, to the millisecond (as it is written). */
    Instant asOf() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static boolean inRange(LocalDate week, LocalDate from, LocalDate to) {
        return (from == null || !week.isBefore(Weeks.weekStart(from))) && (to == null || !week.isAfter(to));
    }

    private static Double mean(List<EntryFact> entries, java.util.function.Function<EntryFact, Integer> field) {
        long sum = 0;
        int n = 0;
        for (EntryFact e : entries) {
            Integer v = field.apply(e);
            if (v != null) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : (double) sum / n;
    }

    static Interval interval(double[] ci) {
        return ci == null ? null : new Interval(ci[0], ci[1]);
    }

    /** Every row of a small range (the population's 11 rows, a technique's weeks). */
    private Future<List<AggregateReader.Row>> all(String from, String to) {
        return all(from, to, null, new ArrayList<>());
    }

    private Future<List<AggregateReader.Row>> all(
            String from, String to, String after, List<AggregateReader.Row> rows) {
        return aggregates.page(from, to, after, PAGE).compose(page -> {
            rows.addAll(page);
            return page.size() < PAGE
                    ? Future.succeededFuture(rows)
                    : all(from, to, page.get(page.size() - 1).key(), rows);
        });
    }
}
