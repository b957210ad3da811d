package io.painjournal.analytics.query;

import io.painjournal.analytics.journal.SessionFact;
import io.painjournal.analytics.journal.UserJournal;
import io.painjournal.analytics.stats.Posterior;
import io.painjournal.analytics.stats.ProbabilityBest;
import io.painjournal.analytics.stats.Stats;
import io.painjournal.analytics.stats.Suggestion;
import io.painjournal.analytics.stats.Summary;
import io.painjournal.analytics.stats.TechniqueModel;
import io.painjournal.query.Results;
import io.painjournal.query.Results.Interval;
import io.painjournal.query.Results.PersonalPosterior;
import io.painjournal.query.Results.PersonalTechnique;
import io.painjournal.query.Results.PersonalView;
import io.painjournal.query.Results.UntriedTechnique;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Which technique helps me most" (API.md sections 4 and 7), as a pure function of one user's journal and the
 * population's statistics: the user's posterior for every technique with a model, the probability that each is
 * their best, the untried candidates and the suggestion; the former pooled estimate for techniques without a
 * model, pooling only means that leak nothing of a small group.
 */
public final class PersonalEffects {

    /**
     * Strength of the prior in the estimate of a technique without a model, in sessions: a user's own mean is
     * pulled toward the population mean as if they had this many extra sessions at that mean.
     */
    public static final int PRIOR_SESSIONS = 3;

    private PersonalEffects() {}

    /**
     * The population mean reduction μ of a technique that may pool into one user's answers (API.md, small
     * groups, rule 3): the technique's own when at least k users are in it; else the mean over every
     * technique's sessions when the whole group surely has k users (some technique alone has k: the
     * aggregates count users per technique, so the distinct users of all of them are at least the
     * largest count); else null (no pooling).
     */
    public static Double pooledMean(String technique, Map<String, Stats> population, int k) {
        Stats own = population.get(technique);
        if (own != null && own.users() >= k && own.sessions() > 0) {
            return Summary.meanReduction(own);
        }
        Stats all = Stats.ZERO;
        long largest = 0;
        for (Stats s : population.values()) {
            all = all.plus(s);
            largest = Math.max(largest, s.users());
        }
        return largest >= k && all.sessions() > 0 ? Summary.meanReduction(all) : null;
    }

    /**
     * {@code GET /v1/users/{userId}/techniques} from the user's journal and the population's statistics. Each
     * technique with a model (API.md section 7) is a candidate, tried or not: the user's posterior for it, the
     * probability that it is their best, and the suggestion among them. A technique the user tried that has no
     * model keeps the former estimate ({@link #estimate}) and no posterior.
     */
    public static PersonalView view(
            Instant asOf, String userId, UserJournal journal, Map<String, Stats> population, int minUsers) {
        Map<String, Stats> byTechnique = new TreeMap<>();
        if (journal != null) {
            for (SessionFact s : journal.sessions()) {
                byTechnique.merge(s.technique(), journal.statsOf(s, true), Stats::plus);
            }
        }
        Map<String, TechniqueModel> models = new TreeMap<>();
        population.forEach((technique, stats) -> {
            TechniqueModel model = TechniqueModel.of(stats, minUsers);
            if (model != null) {
                models.put(technique, model);
            }
        });
        List<String> candidates = new ArrayList<>(models.keySet());
        Map<String, Posterior> posteriors = new HashMap<>();
        double[] means = new double[candidates.size()];
        double[] sds = new double[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            String technique = candidates.get(i);
            Stats own = byTechnique.getOrDefault(technique, Stats.ZERO);
            Posterior p = Posterior.of(models.get(technique), own.sessions(), own.sumReduction());
            posteriors.put(technique, p);
            means[i] = p.mean();
            sds[i] = p.sd();
        }
        double[] best = candidates.isEmpty() ? new double[0] : ProbabilityBest.of(means, sds);
        Map<String, PersonalPosterior> answers = new HashMap<>();
        List<Suggestion.Candidate> choices = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            String technique = candidates.get(i);
            answers.put(technique, posterior(posteriors.get(technique), best[i]));
            Stats own = byTechnique.getOrDefault(technique, Stats.ZERO);
            choices.add(new Suggestion.Candidate(technique, own.sessions(), means[i], best[i]));
        }
        List<PersonalTechnique> items = new ArrayList<>();
        byTechnique.forEach((technique, own) -> {
            PersonalPosterior posterior = answers.get(technique);
            items.add(new PersonalTechnique(
                    technique,
                    own.sessions(),
                    Summary.meanReduction(own),
                    Views.interval(Summary.ci95(own)),
                    posterior != null ? posterior.mean() : estimate(own, pooledMean(technique, population, minUsers)),
                    own.sessions() >= Suggestion.ENOUGH_SESSIONS,
                    own.followUps(),
                    Summary.meanLastingReduction(own),
                    posterior));
        });
        items.sort(Comparator.comparingDouble(PersonalTechnique::estimate)
                .reversed()
                .thenComparing(PersonalTechnique::technique));
        List<UntriedTechnique> untried = new ArrayList<>();
        for (String technique : candidates) {
            if (!byTechnique.containsKey(technique)) {
                untried.add(new UntriedTechnique(technique, answers.get(technique)));
            }
        }
        untried.sort(
                Comparator.comparingDouble((UntriedTechnique u) -> u.posterior().mean())
                        .reversed()
                        .thenComparing(UntriedTechnique::technique));
        Suggestion.Choice choice = Suggestion.pick(choices);
        Results.Suggestion suggestion = choice == null
                ? null
                : new Results.Suggestion(
                        choice.candidate().technique(), choice.candidate().probabilityBest(), choice.reason());
        return new PersonalView(asOf, userId, items, untried, suggestion);
    }

    private static PersonalPosterior posterior(Posterior p, double probabilityBest) {
        return new PersonalPosterior(
                p.mean(),
                p.sd(),
                new Interval(p.lower(), p.upper()),
                p.priorSessions(),
                p.probabilityMeaningful(),
                probabilityBest);
    }

    /**
     * The estimate of a technique without a model: (Σ own reductions + m·μ) / (own sessions + m), with m =
     * {@link #PRIOR_SESSIONS} and μ the {@link #pooledMean} (which leaks nothing of a small group); with no μ,
     * the user's own mean.
     */
    static double estimate(Stats own, Double pooledMean) {
        if (pooledMean == null) {
            return Summary.meanReduction(own);
        }
        return (own.sumReduction() + PRIOR_SESSIONS * pooledMean) / (own.sessions() + PRIOR_SESSIONS);
    }
}
