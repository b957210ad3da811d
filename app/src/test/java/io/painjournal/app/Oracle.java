package io.painjournal.app;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The expected answers of API.md section 4, computed the plain way from the list of events (no code
 * of the product is used): direct grouping, two-pass standard deviations, doubles throughout.
 */
final class Oracle {

    record S(
            String eventId,
            String user,
            String technique,
            Instant at,
            int minutes,
            int before,
            int after,
            Long cost,
            String currency,
            String cohort) {
        int r() {
            return before - after;
        }
    }

    record E(
            String eventId,
            String user,
            Instant at,
            int pain,
            Integer sleep,
            Integer stress,
            Integer mood,
            Integer anxiety,
            Boolean headache) {}

    record Technique(
            String technique,
            long sessions,
            long users,
            double mean,
            Double sd,
            double[] ci,
            Double pct,
            Double responders,
            double minutes,
            Double costPerPoint,
            Map<String, Double> costPerPointByCurrency,
            long followUps,
            Double lasting) {}

    record Week(
            LocalDate weekStart, long sessions, long users, double meanPainBefore, double mean, Double responders) {}

    record Research(
            String technique,
            String cohort,
            LocalDate week,
            long users,
            long sessions,
            double meanPainBefore,
            double mean,
            Double sd,
            Double responders) {}

    record Personal(
            String technique,
            long sessions,
            double mean,
            double[] ci,
            double estimate,
            boolean enough,
            long followUps,
            Double lasting,
            Posterior posterior) {}

    /** A technique's model of API.md section 7: each user a study (mean ȳᵤ, variance σ²/nᵤ). */
    record Model(double mu, double sigma2, double tau2, double v) {}

    record Posterior(
            double mean, double sd, double low, double high, double priorSessions, double meaningful, double best) {}

    /** The suggestion: technique, probability best, reason. */
    record Suggestion(String technique, double best, String reason) {}

    /** k of the small-groups rule (the default RESEARCH_MIN_USERS). */
    static final int K = 5;

    record JournalWeek(
            LocalDate weekStart,
            long entries,
            Double pain,
            Double sleep,
            Double stress,
            Double mood,
            Double anxiety,
            long headacheDays) {}

    final List<S> sessions;
    final List<E> entries;

    Oracle(Collection<S> sessions, Collection<E> entries) {
        this.sessions = List.copyOf(sessions);
        this.entries = List.copyOf(entries);
    }

    static LocalDate week(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** Responders among the sessions that had pain; null when none had. */
    static Double responderRate(List<S> list) {
        long painful = list.stream().filter(s -> s.before() > 0).count();
        return painful == 0
                ? null
                : (double) list.stream().filter(Oracle::responder).count() / painful;
    }

    static boolean responder(S s) {
        return s.before() > 0 && 10 * (s.before() - s.after()) >= 3 * s.before();
    }

    List<E> followUps(S s) {
        return entries.stream()
                .filter(e -> e.user().equals(s.user())
                        && e.at().isAfter(s.at().plusSeconds(12 * 3600))
                        && !e.at().isAfter(s.at().plusSeconds(36 * 3600)))
                .toList();
    }

    static double mean(List<S> list) {
        return list.stream().mapToInt(S::r).average().orElseThrow();
    }

    static Double sd(List<S> list) {
        if (list.size() < 2) {
            return null;
        }
        double m = mean(list);
        double ss = list.stream().mapToDouble(s -> (s.r() - m) * (s.r() - m)).sum();
        return Math.sqrt(ss / (list.size() - 1));
    }

    static double[] ci(List<S> list) {
        Double sd = sd(list);
        if (sd == null) {
            return null;
        }
        double half = 1.96 * sd / Math.sqrt(list.size());
        return new double[] {mean(list) - half, mean(list) + half};
    }

    Double lasting(List<S> list) {
        List<Double> values = new ArrayList<>();
        for (S s : list) {
            List<E> f = followUps(s);
            if (!f.isEmpty()) {
                values.add(s.before() - f.stream().mapToInt(E::pain).average().orElseThrow());
            }
        }
        return values.isEmpty()
                ? null
                : values.stream().mapToDouble(d -> d).average().orElseThrow();
    }

    long followUpCount(List<S> list) {
        return list.stream().filter(s -> !followUps(s).isEmpty()).count();
    }

    Map<String, Technique> population() {
        Map<String, Technique> result = new HashMap<>();
        sessions.stream().collect(Collectors.groupingBy(S::technique)).forEach((t, list) -> {
            List<S> painful = list.stream().filter(s -> s.before() > 0).toList();
            Map<String, Double> byCurrency = new HashMap<>();
            list.stream()
                    .filter(s -> s.cost() != null)
                    .collect(Collectors.groupingBy(S::currency))
                    .forEach((currency, costed) -> {
                        long relief = costed.stream()
                                .mapToLong(s -> Math.max(0, s.r()))
                                .sum();
                        long cents = costed.stream().mapToLong(S::cost).sum();
                        byCurrency.put(currency, relief == 0 ? null : (double) cents / relief);
                    });
            result.put(
                    t,
                    new Technique(
                            t,
                            list.size(),
                            list.stream().map(S::user).distinct().count(),
                            mean(list),
                            sd(list),
                            ci(list),
                            painful.isEmpty()
                                    ? null
                                    : painful.stream()
                                            .mapToDouble(s -> 100.0 * s.r() / s.before())
                                            .average()
                                            .orElseThrow(),
                            responderRate(list),
                            list.stream().mapToInt(S::minutes).average().orElseThrow(),
                            byCurrency.get("GBP"),
                            byCurrency,
                            followUpCount(list),
                            lasting(list)));
        });
        return result;
    }

    List<Week> trend(String technique) {
        TreeMap<LocalDate, List<S>> byWeek = sessions.stream()
                .filter(s -> s.technique().equals(technique))
                .collect(Collectors.groupingBy(s -> week(s.at()), TreeMap::new, Collectors.toList()));
        List<Week> weeks = new ArrayList<>();
        byWeek.forEach((w, list) -> weeks.add(new Week(
                w,
                list.size(),
                list.stream().map(S::user).distinct().count(),
                list.stream().mapToInt(S::before).average().orElseThrow(),
                mean(list),
                responderRate(list))));
        return weeks;
    }

    /** Research rows keyed "technique|cohort|week". */
    Map<String, Research> research() {
        Map<String, Research> rows = new HashMap<>();
        sessions.stream()
                .collect(Collectors.groupingBy(
                        s -> s.technique() + "|" + (s.cohort() == null ? "none" : s.cohort()) + "|" + week(s.at())))
                .forEach((key, list) -> {
                    S first = list.get(0);
                    rows.put(
                            key,
                            new Research(
                                    first.technique(),
                                    first.cohort() == null ? "none" : first.cohort(),
                                    week(first.at()),
                                    list.stream().map(S::user).distinct().count(),
                                    list.size(),
                                    list.stream().mapToInt(S::before).average().orElseThrow(),
                                    mean(list),
                                    sd(list),
                                    responderRate(list)));
                });
        return rows;
    }

    /** The model of each technique that has one: k users, N − U ≥ 2, v > 0. */
    Map<String, Model> models() {
        Map<String, Model> models = new TreeMap<>();
        sessions.stream().collect(Collectors.groupingBy(S::technique)).forEach((t, list) -> {
            Map<String, List<S>> byUser = list.stream().collect(Collectors.groupingBy(S::user));
            int n = list.size();
            int u = byUser.size();
            if (u < K || n - u < 2) {
                return;
            }
            double mu = mean(list);
            double within = 0;
            for (List<S> mine : byUser.values()) {
                double m = mean(mine);
                within += mine.stream()
                        .mapToDouble(x -> (x.r() - m) * (x.r() - m))
                        .sum();
            }
            double sigma2 = Math.max(0.25, within / (n - u));
            double w = 0;
            double w2 = 0;
            double wy = 0;
            for (List<S> mine : byUser.values()) {
                double wu = mine.size() / sigma2;
                w += wu;
                w2 += wu * wu;
                wy += wu * mean(mine);
            }
            double q = 0;
            for (List<S> mine : byUser.values()) {
                q += mine.size() / sigma2 * Math.pow(mean(mine) - wy / w, 2);
            }
            double c = w - w2 / w;
            double tau2 = u < 2 || c == 0 ? 0 : Math.max(0, (q - (u - 1)) / c);
            double sd = sd(list);
            double v = tau2 + sd * sd / n;
            if (v > 0) {
                models.put(t, new Model(mu, sigma2, tau2, v));
            }
        });
        return models;
    }

    /**
     * The user's posterior for every candidate, as the conjugate normal update m = (n·v·ȳ + σ²·μ)/(n·v + σ²),
     * q² = v·σ²/(n·v + σ²), and P(best) by the trapezoid rule on a fine grid.
     */
    Map<String, Posterior> posteriors(String user) {
        return posteriors.computeIfAbsent(user, this::computePosteriors);
    }

    private final Map<String, Map<String, Posterior>> posteriors = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, Posterior> computePosteriors(String user) {
        Map<String, Model> models = models();
        Map<String, double[]> normals = new TreeMap<>();
        models.forEach((t, m) -> {
            List<S> mine = sessions.stream()
                    .filter(s -> s.user().equals(user) && s.technique().equals(t))
                    .toList();
            int n = mine.size();
            double mean = n == 0 ? m.mu() : (n * m.v() * mean(mine) + m.sigma2() * m.mu()) / (n * m.v() + m.sigma2());
            normals.put(t, new double[] {mean, Math.sqrt(m.v() * m.sigma2() / (n * m.v() + m.sigma2()))});
        });
        org.apache.commons.math3.distribution.NormalDistribution z =
                new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
        double from = normals.values().stream()
                .mapToDouble(x -> x[0] - 10 * x[1])
                .min()
                .orElse(0);
        double to = normals.values().stream()
                .mapToDouble(x -> x[0] + 10 * x[1])
                .max()
                .orElse(0);
        int steps = 40_000;
        double h = (to - from) / steps;
        Map<String, Posterior> result = new TreeMap<>();
        normals.forEach((t, x) -> {
            double best = 1;
            if (normals.size() > 1) {
                best = 0;
                for (int i = 0; i <= steps; i++) {
                    double at = from + i * h;
                    double f = z.density((at - x[0]) / x[1]) / x[1];
                    for (Map.Entry<String, double[]> other : normals.entrySet()) {
                        if (!other.getKey().equals(t)) {
                            f *= z.cumulativeProbability((at - other.getValue()[0]) / other.getValue()[1]);
                        }
                    }
                    best += (i == 0 || i == steps ? 0.5 : 1) * f * h;
                }
            }
            Model m = models.get(t);
            result.put(
                    t,
                    new Posterior(
                            x[0],
                            x[1],
                            x[0] - 1.959964 * x[1],
                            x[0] + 1.959964 * x[1],
                            m.sigma2() / m.v(),
                            1 - z.cumulativeProbability((1 - x[0]) / x[1]),
                            best));
        });
        return result;
    }

    Map<String, Personal> personal(String user) {
        Map<String, Technique> population = population();
        Map<String, Posterior> posteriors = posteriors(user);
        Map<String, Personal> result = new HashMap<>();
        sessions.stream()
                .filter(s -> s.user().equals(user))
                .collect(Collectors.groupingBy(S::technique))
                .forEach((t, list) -> {
                    double own = list.stream().mapToInt(S::r).sum();
                    Posterior posterior = posteriors.get(t);
                    double estimate = posterior != null
                            ? posterior.mean()
                            : (own + 3 * population.get(t).mean()) / (list.size() + 3);
                    result.put(
                            t,
                            new Personal(
                                    t,
                                    list.size(),
                                    mean(list),
                                    ci(list),
                                    estimate,
                                    list.size() >= 3,
                                    followUpCount(list),
                                    lasting(list),
                                    posterior));
                });
        return result;
    }

    /** The candidates the user has not tried, by posterior mean, highest first. */
    List<String> untried(String user) {
        java.util.Set<String> tried = sessions.stream()
                .filter(s -> s.user().equals(user))
                .map(S::technique)
                .collect(Collectors.toSet());
        Map<String, Posterior> posteriors = posteriors(user);
        return posteriors.keySet().stream()
                .filter(t -> !tried.contains(t))
                .sorted(java.util.Comparator.comparingDouble(
                                (String t) -> -posteriors.get(t).mean())
                        .thenComparing(t -> t))
                .toList();
    }

    /** The largest P(best); within 0.002 of it, the higher mean, then the first id. */
    Suggestion suggestion(String user) {
        Map<String, Posterior> posteriors = posteriors(user);
        double top =
                posteriors.values().stream().mapToDouble(Posterior::best).max().orElse(-1);
        return posteriors.entrySet().stream()
                .filter(e -> e.getValue().best() >= top - 0.002)
                .sorted(java.util.Comparator.comparingDouble((Map.Entry<String, Posterior> e) ->
                                -e.getValue().mean())
                        .thenComparing(Map.Entry::getKey))
                .findFirst()
                .map(e -> {
                    long n = sessions.stream()
                            .filter(s -> s.user().equals(user) && s.technique().equals(e.getKey()))
                            .count();
                    return new Suggestion(
                            e.getKey(), e.getValue().best(), n >= 3 ? "most-likely-best" : "worth-trying");
                })
                .orElse(null);
    }

    List<JournalWeek> journal(String user) {
        TreeMap<LocalDate, List<E>> byWeek = entries.stream()
                .filter(e -> e.user().equals(user))
                .collect(Collectors.groupingBy(e -> week(e.at()), TreeMap::new, Collectors.toList()));
        List<JournalWeek> weeks = new ArrayList<>();
        byWeek.forEach((w, list) -> {
            Set<LocalDate> headache = new HashSet<>();
            list.stream()
                    .filter(e -> Boolean.TRUE.equals(e.headache()))
                    .forEach(e -> headache.add(LocalDate.ofInstant(e.at(), ZoneOffset.UTC)));
            weeks.add(new JournalWeek(
                    w,
                    list.size(),
                    avg(list, E::pain),
                    avg(list, E::sleep),
                    avg(list, E::stress),
                    avg(list, E::mood),
                    avg(list, E::anxiety),
                    headache.size()));
        });
        return weeks;
    }

    private static Double avg(List<E> list, java.util.function.Function<E, Integer> f) {
        var values =
                list.stream().map(f).filter(v -> v != null).mapToInt(v -> v).toArray();
        return values.length == 0
                ? null
                : java.util.Arrays.stream(values).average().orElseThrow();
    }
}
