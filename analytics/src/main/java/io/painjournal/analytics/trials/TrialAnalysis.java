package io.painjournal.analytics.trials;

import io.painjournal.analytics.journal.EntryFact;
import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.TrialFact;
import io.painjournal.events.Trial;
import io.painjournal.query.Results.Interval;
import io.painjournal.query.Results.PairDifference;
import io.painjournal.query.Results.TrialPeriod;
import io.painjournal.query.Results.TrialResult;
import io.painjournal.query.Results.TrialToday;
import io.painjournal.query.Results.TrialView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A personal trial's schedule and analysis (API.md section 5), as pure functions of the trial, the user's
 * sessions and journal entries, today's UTC date and the population means. Computed when asked, from the
 * same facts as every other answer, so a late session or entry changes the result exactly.
 */
public final class TrialAnalysis {

    /** The smallest change in pain that matters to people in pain: the "no difference" margin. */
    public static final double MINIMAL_DIFFERENCE = 1.0;

    private TrialAnalysis() {}

    /** One period of the schedule, before sessions are counted. */
    record Slot(int index, int pair, String technique, LocalDate start, LocalDate end, LocalDate washoutEnd) {

        boolean contains(Instant t) {
            return !t.isBefore(startOf(start)) && t.isBefore(startOf(end));
        }

        boolean afterWashout(Instant t) {
            return !t.isBefore(startOf(washoutEnd)) && t.isBefore(startOf(end));
        }
    }

    static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * Periods {@code p = 0 … 2·pairs − 1}, {@code periodDays} days each from {@code startDate + p·periodDays},
     * the first {@code washoutDays} of each washout. A cancelled trial keeps the periods that started by
     * the day of cancellation, the last one ending after that day.
     */
    static List<Slot> schedule(Trial t, Instant cancelledAt) {
        List<Slot> slots = new ArrayList<>();
        LocalDate lastDay = cancelledAt == null ? null : LocalDate.ofInstant(cancelledAt, ZoneOffset.UTC);
        for (int p = 0; p < 2 * t.pairs(); p++) {
            LocalDate start = t.startDate().plusDays((long) p * t.periodDays());
            LocalDate end = start.plusDays(t.periodDays());
            if (lastDay != null && start.isAfter(lastDay)) {
                break;
            }
            if (lastDay != null && end.isAfter(lastDay.plusDays(1))) {
                end = lastDay.plusDays(1); // the period under way when it was cancelled ends that day
            }
            LocalDate washoutEnd = start.plusDays(t.washoutDays());
            slots.add(new Slot(p, p / 2, t.order().get(p), start, end, washoutEnd.isAfter(end) ? end : washoutEnd));
        }
        return slots;
    }

    /**
     * The trial as the user sees it today.
     *
     * @param mu0 the population mean reduction of {@code techniques[0]} by the small-groups rule, or null
     * @param mu1 the same for {@code techniques[1]}
     */
    public static TrialView view(
            TrialFact fact,
            List<SessionFact> sessions,
            List<EntryFact> entries,
            LocalDate today,
            Double mu0,
            Double mu1) {
        Trial t = fact.trial();
        List<Slot> slots = schedule(t, fact.cancelledAt());
        List<TrialPeriod> periods = new ArrayList<>();
        double[] sumReduction = new double[slots.size()];
        int[] onProtocol = new int[slots.size()];
        for (Slot slot : slots) {
            int on = 0;
            int off = 0;
            for (SessionFact s : sessions) {
                if (!slot.contains(s.startedAt())) {
                    continue;
                }
                if (s.technique().equals(slot.technique()) && slot.afterWashout(s.startedAt())) {
                    on++;
                    sumReduction[slot.index()] += s.painBefore() - s.painAfter();
                } else {
                    off++;
                }
            }
            onProtocol[slot.index()] = on;
            periods.add(new TrialPeriod(
                    slot.index(), slot.pair(), slot.technique(), slot.start(), slot.end(), slot.washoutEnd(), on, off));
        }

        List<PairDifference> differences = differences(t, slots, sumReduction, onProtocol);

        Map<String, Double> journalPain = new LinkedHashMap<>();
        for (String technique : t.techniques()) {
            long n = 0;
            long sum = 0;
            for (EntryFact e : entries) {
                for (Slot slot : slots) {
                    if (slot.technique().equals(technique) && slot.afterWashout(e.recordedAt())) {
                        n++;
                        sum += e.pain();
                        break;
                    }
                }
            }
            journalPain.put(technique, n == 0 ? null : (double) sum / n);
        }

        return new TrialView(
                t.trialId(),
                t.techniques(),
                t.startDate(),
                t.periodDays(),
                t.pairs(),
                t.washoutDays(),
                status(fact, slots, today),
                periods,
                today(fact, slots, today),
                result(differences, mu0, mu1, journalPain));
    }

    /** The complete pairs' differences, {@code techniques[0]} − {@code techniques[1]} whatever the drawn order. */
    private static List<PairDifference> differences(
            Trial t, List<Slot> slots, double[] sumReduction, int[] onProtocol) {
        List<PairDifference> differences = new ArrayList<>();
        for (int j = 0; 2 * j + 1 < slots.size(); j++) {
            int a = 2 * j;
            int b = 2 * j + 1;
            if (onProtocol[a] == 0 || onProtocol[b] == 0) {
                continue;
            }
            double meanA = sumReduction[a] / onProtocol[a];
            double meanB = sumReduction[b] / onProtocol[b];
            double d = slots.get(a).technique().equals(t.techniques().get(0)) ? meanA - meanB : meanB - meanA;
            differences.add(new PairDifference(j, d));
        }
        return differences;
    }

    /** The trial as the population of trials counts it (API.md section 8), from the user's sessions. */
    public static CountedTrial counted(TrialFact fact, List<SessionFact> sessions) {
        TrialView view = view(fact, sessions, List.of(), LocalDate.MIN, null, null);
        Trial t = fact.trial();
        List<TrialPeriod> periods = view.periods();
        LocalDate end = periods.isEmpty()
                ? t.startDate()
                : periods.get(periods.size() - 1).end();
        return new CountedTrial(
                t.trialId(),
                t.techniques(),
                t.startDate(),
                end,
                fact.cancelledAt() != null,
                view.result().pairsComplete(),
                view.result().meanDifference(),
                view.result().sdDifference());
    }

    static String status(TrialFact fact, List<Slot> slots, LocalDate today) {
        if (fact.cancelledAt() != null) {
            return "cancelled";
        }
        if (today.isBefore(fact.trial().startDate())) {
            return "scheduled";
        }
        return slots.isEmpty() || !today.isBefore(slots.get(slots.size() - 1).end()) ? "completed" : "running";
    }

    static TrialToday today(TrialFact fact, List<Slot> slots, LocalDate today) {
        if (!status(fact, slots, today).equals("running")) {
            return null;
        }
        for (Slot slot : slots) {
            if (!today.isBefore(slot.start()) && today.isBefore(slot.end())) {
                return new TrialToday(today, slot.index(), slot.technique(), today.isBefore(slot.washoutEnd()));
            }
        }
        return null;
    }

    /** The statistics of the complete pairs' differences (section 5, "result"). */
    static TrialResult result(
            List<PairDifference> differences, Double mu0, Double mu1, Map<String, Double> journalPain) {
        int n = differences.size();
        double sum = 0;
        for (PairDifference d : differences) {
            sum += d.difference();
        }
        Double mean = n >= 1 ? sum / n : null;
        Double sd = null;
        Interval ci = null;
        Double probability = null;
        String verdict = "undecided";
        if (n >= 2) {
            double squares = 0;
            for (PairDifference d : differences) {
                squares += (d.difference() - mean) * (d.difference() - mean);
            }
            sd = Math.sqrt(squares / (n - 1));
            TDistribution t = new TDistribution(null, n - 1);
            double se = sd / Math.sqrt(n);
            double half = t.inverseCumulativeProbability(0.975) * se;
            ci = new Interval(mean - half, mean + half);
            probability = se == 0 ? (mean > 0 ? 1.0 : mean < 0 ? 0.0 : 0.5) : t.cumulativeProbability(mean / se);
            verdict = verdict(ci);
        }
        Double pooled = mu0 == null || mu1 == null ? null : (sum + mu0 - mu1) / (n + 1);
        return new TrialResult(n, mean, sd, ci, probability, verdict, pooled, journalPain, differences, null);
    }

    static String verdict(Interval ci) {
        if (ci.low() > 0) {
            return "first-better";
        }
        if (ci.high() < 0) {
            return "second-better";
        }
        if (ci.low() >= -MINIMAL_DIFFERENCE && ci.high() <= MINIMAL_DIFFERENCE) {
            return "no-difference";
        }
        return "undecided";
    }
}
