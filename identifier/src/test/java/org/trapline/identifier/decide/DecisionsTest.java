package org.trapline.identifier.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.identifier.match.Match;
import org.trapline.schema.MatchDecision;

class DecisionsTest {

    final Decisions decisions = new Decisions(Map.of(
            "embedding", new Thresholds(0.9f, 0.7f),
            "local-features", new Thresholds(30, 8)));

    static Decisions.Proposal proposal(int index, String matcher, Match... ranked) {
        return new Decisions.Proposal(index, Map.of(matcher, List.of(ranked)));
    }

    static Match m(String individual, float score) {
        return new Match(individual, score, "embedding");
    }

    @Test
    void aScoreAtTheMatchThresholdIsTheKnownIndividual() {
        Decisions.Outcome outcome = decisions.decide(List.of(proposal(0, "embedding", m("luna", 0.9f), m("sol", 0.5f)))).get(0);
        assertEquals(MatchDecision.MATCHED, outcome.decision());
        assertEquals("luna", outcome.individualId());
        assertEquals(0.9f, outcome.score());
    }

    @Test
    void theGreyZoneGoesToAReviewerWithItsCandidates() {
        Decisions.Outcome outcome = decisions.decide(List.of(proposal(0, "embedding", m("luna", 0.89f), m("sol", 0.8f)))).get(0);
        assertEquals(MatchDecision.REVIEW, outcome.decision());
        assertNull(outcome.individualId());
        assertEquals(List.of("luna", "sol"), outcome.candidates().stream().map(Match::individualId).toList());
    }

    @Test
    void belowTheReviewThresholdTheAnimalIsNew() {
        assertEquals(MatchDecision.NEW_PROVISIONAL,
                decisions.decide(List.of(proposal(0, "embedding", m("luna", 0.69f)))).get(0).decision());
        assertEquals(MatchDecision.NEW_PROVISIONAL, decisions.decide(List.of(proposal(0, "embedding"))).get(0).decision(),
                "an empty gallery: the first animal of its species is new");
    }

    @Test
    void noMatcherForTheSpeciesLeavesTheAnimalUnidentified() {
        assertEquals(MatchDecision.UNIDENTIFIED,
                decisions.decide(List.of(new Decisions.Proposal(0, Map.of()))).get(0).decision());
    }

    @Test
    void twoAnimalsInOneFrameAreNeverTheSameIndividual() {
        // both look most like luna; the surer one (index 1) gets her, the other falls to its next candidate
        List<Decisions.Outcome> outcomes = decisions.decide(List.of(
                proposal(0, "embedding", m("luna", 0.93f), m("sol", 0.91f)),
                proposal(1, "embedding", m("luna", 0.97f), m("sol", 0.2f))));
        assertEquals(MatchDecision.MATCHED, outcomes.get(1).decision());
        assertEquals("luna", outcomes.get(1).individualId());
        assertEquals(MatchDecision.MATCHED, outcomes.get(0).decision());
        assertEquals("sol", outcomes.get(0).individualId());
        assertTrue(outcomes.get(0).candidates().stream().noneMatch(c -> c.individualId().equals("luna")),
                "an individual given to another animal of the frame is no candidate");
    }

    @Test
    void theSecondAnimalLikeTheFirstIsNewWhenNoOtherCandidateIsClose() {
        List<Decisions.Outcome> outcomes = decisions.decide(List.of(
                proposal(0, "embedding", m("luna", 0.95f)),
                proposal(1, "embedding", m("luna", 0.94f))));
        assertEquals("luna", outcomes.get(0).individualId());
        assertEquals(MatchDecision.NEW_PROVISIONAL, outcomes.get(1).decision());
    }

    @Test
    void matchersSureOfDifferentAnimalsAskAPerson() {
        Map<String, List<Match>> candidates = new LinkedHashMap<>();
        candidates.put("embedding", List.of(m("luna", 0.95f)));
        candidates.put("local-features", List.of(new Match("sol", 40, "local-features")));
        Decisions.Outcome outcome = decisions.decide(List.of(new Decisions.Proposal(0, candidates))).get(0);
        assertEquals(MatchDecision.REVIEW, outcome.decision());
        assertEquals(2, outcome.candidates().size());
    }

    @Test
    void matchersAgreeingOrOneSureAndOneUnsureMatch() {
        Map<String, List<Match>> candidates = new LinkedHashMap<>();
        candidates.put("embedding", List.of(m("luna", 0.75f)));
        candidates.put("local-features", List.of(new Match("luna", 45, "local-features")));
        Decisions.Outcome outcome = decisions.decide(List.of(new Decisions.Proposal(0, candidates))).get(0);
        assertEquals(MatchDecision.MATCHED, outcome.decision());
        assertEquals(45f, outcome.score());
    }

    @Test
    void thresholdsMustBeOrdered() {
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(0.5f, 0.8f));
    }
}
