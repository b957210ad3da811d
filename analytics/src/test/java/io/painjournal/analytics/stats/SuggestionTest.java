package io.painjournal.analytics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.painjournal.analytics.stats.Suggestion.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionTest {

    @Test
    void noCandidatesNoSuggestion() {
        assertNull(Suggestion.pick(List.of()));
    }

    @Test
    void theLikeliestBestWithEnoughSessionsIsMostLikelyBest() {
        Suggestion.Choice c = Suggestion.pick(List.of(
                new Candidate("tennis-ball", 12, 2.48, 0.41),
                new Candidate("melt", 0, 2.3, 0.22),
                new Candidate("swedish", 4, 2.0, 0.37)));
        assertEquals("tennis-ball", c.candidate().technique());
        assertEquals("most-likely-best", c.reason());
    }

    @Test
    void theLikeliestBestTriedTooLittleIsWorthTrying() {
        assertEquals(
                "worth-trying",
                Suggestion.pick(List.of(new Candidate("melt", 2, 2.3, 0.6), new Candidate("thai", 9, 2.0, 0.4)))
                        .reason());
        assertEquals(
                "worth-trying",
                Suggestion.pick(List.of(new Candidate("melt", 0, 2.3, 1))).reason());
    }

    @Test
    void probabilitiesWithinTheQuadraturesPromiseAreATieBrokenByMeanThenId() {
        // 0.401 and 0.4 are a tie: the higher mean wins although its probability is lower
        Suggestion.Choice byMean = Suggestion.pick(List.of(
                new Candidate("shiatsu", 5, 2.1, 0.401),
                new Candidate("thai", 5, 2.2, 0.4),
                new Candidate("melt", 5, 3, 0.1)));
        assertEquals("thai", byMean.candidate().technique());
        // equal means too: the first id
        Suggestion.Choice byId = Suggestion.pick(List.of(
                new Candidate("thai", 5, 2.2, 0.45),
                new Candidate("shiatsu", 1, 2.2, 0.45),
                new Candidate("melt", 1, 1, 0.1)));
        assertEquals("shiatsu", byId.candidate().technique());
        assertEquals("worth-trying", byId.reason());
        // 0.003 apart is no tie
        assertEquals(
                "shiatsu",
                Suggestion.pick(List.of(new Candidate("shiatsu", 5, 2.1, 0.503), new Candidate("thai", 5, 2.2, 0.5)))
                        .candidate()
                        .technique());
    }
}
