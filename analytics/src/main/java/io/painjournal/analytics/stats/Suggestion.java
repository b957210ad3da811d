package io.painjournal.analytics.stats;

import java.util.List;

/**
 * What a user should try next (API.md section 7): the candidate most likely to be their best. Candidates
 * within {@link #TIE} of the largest probability are a tie, broken by the higher posterior mean, then by id.
 */
public final class Suggestion {

    /** Probabilities this close are equal: the quadrature's promise is 0.002. */
    public static final double TIE = 0.002;
    /**
     * Sessions of a technique from which the user's own data counts as enough: "most likely your best" rests on
     * it, and a personal item's {@code enoughData} says so.
     */
    public static final int ENOUGH_SESSIONS = 3;

    /** One candidate: a technique with a model, the user's sessions of it and their posterior. */
    public record Candidate(String technique, long sessions, double mean, double probabilityBest) {}

    /** The chosen candidate and why: {@code most-likely-best} or {@code worth-trying}. */
    public record Choice(Candidate candidate, String reason) {}

    private Suggestion() {}

    /** The suggestion among {@code candidates}; null when there are none. */
    public static Choice pick(List<Candidate> candidates) {
        double best = candidates.stream()
                .mapToDouble(Candidate::probabilityBest)
                .max()
                .orElse(Double.NaN);
        Candidate chosen = null;
        for (Candidate c : candidates) {
            if (c.probabilityBest() < best - TIE) {
                continue;
            }
            if (chosen == null
                    || c.mean() > chosen.mean()
                    || (c.mean() == chosen.mean() && c.technique().compareTo(chosen.technique()) < 0)) {
                chosen = c;
            }
        }
        if (chosen == null) {
            return null;
        }
        return new Choice(chosen, chosen.sessions() >= ENOUGH_SESSIONS ? "most-likely-best" : "worth-trying");
    }
}
