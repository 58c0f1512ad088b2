package org.trapline.identifier.decide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.trapline.identifier.match.Match;
import org.trapline.schema.MatchDecision;

/**
 * Decides who the animals of one frame are, from their candidates. The software never silently makes a
 * new animal an old one when unsure: a match needs a matcher's score at its match threshold and no other
 * matcher sure of someone else; anything in between goes to a person. Two animals in one frame are never
 * the same individual: the surest decisions are taken first, and an individual given to one animal is no
 * candidate for the others.
 */
public final class Decisions {

    /** The candidates of one animal of the frame, per matcher, best first. */
    public record Proposal(int detectionIndex, Map<String, List<Match>> candidates) {
    }

    /**
     * What was decided for one animal: the individual when matched, the best score behind the decision,
     * and the candidates shown to a reviewer (best first, across matchers, those given to other animals of
     * the frame left out).
     */
    public record Outcome(int detectionIndex, MatchDecision decision, String individualId, Float score,
                          List<Match> candidates) {
    }

    private final Map<String, Thresholds> thresholds;

    public Decisions(Map<String, Thresholds> thresholds) {
        this.thresholds = Map.copyOf(thresholds);
    }

    /** One outcome per proposal, in the proposals' order. */
    public List<Outcome> decide(List<Proposal> frame) {
        List<Proposal> surestFirst = new ArrayList<>(frame);
        surestFirst.sort(Comparator.comparingDouble(this::strength).reversed());
        Set<String> taken = new HashSet<>();
        Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
        for (Proposal proposal : surestFirst) {
            Outcome outcome = decide(proposal, taken);
            if (outcome.decision() == MatchDecision.MATCHED) {
                taken.add(outcome.individualId());
            }
            outcomes.put(proposal.detectionIndex(), outcome);
        }
        return frame.stream().map(p -> outcomes.get(p.detectionIndex())).toList();
    }

    private Outcome decide(Proposal proposal, Set<String> taken) {
        if (proposal.candidates().isEmpty()) {
            return new Outcome(proposal.detectionIndex(), MatchDecision.UNIDENTIFIED, null, null, List.of());
        }
        Set<String> sure = new LinkedHashSet<>();
        float sureScore = Float.NEGATIVE_INFINITY;
        float bestScore = Float.NEGATIVE_INFINITY;
        boolean greyZone = false;
        List<Match> shown = new ArrayList<>();
        for (Map.Entry<String, List<Match>> entry : proposal.candidates().entrySet()) {
            Thresholds limits = thresholds(entry.getKey());
            List<Match> open = entry.getValue().stream().filter(m -> !taken.contains(m.individualId())).toList();
            shown.addAll(open);
            if (open.isEmpty()) {
                continue;
            }
            Match top = open.get(0);
            bestScore = Math.max(bestScore, top.score());
            if (top.score() >= limits.match()) {
                sure.add(top.individualId());
                sureScore = Math.max(sureScore, top.score());
            } else if (top.score() >= limits.review()) {
                greyZone = true;
            }
        }
        Float best = bestScore == Float.NEGATIVE_INFINITY ? null : bestScore;
        if (sure.size() == 1) {
            return new Outcome(proposal.detectionIndex(), MatchDecision.MATCHED, sure.iterator().next(), sureScore, shown);
        }
        if (sure.size() > 1 || greyZone) {
            // matchers sure of different animals are as unsure as a grey-zone score
            return new Outcome(proposal.detectionIndex(), MatchDecision.REVIEW, null, best, shown);
        }
        return new Outcome(proposal.detectionIndex(), MatchDecision.NEW_PROVISIONAL, null, best, shown);
    }

    /** How sure the animal's best candidate is, relative to its matcher's match threshold. */
    private double strength(Proposal proposal) {
        double strength = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, List<Match>> entry : proposal.candidates().entrySet()) {
            if (!entry.getValue().isEmpty()) {
                strength = Math.max(strength, entry.getValue().get(0).score() / Math.max(1e-6, thresholds(entry.getKey()).match()));
            }
        }
        return strength;
    }

    private Thresholds thresholds(String matcher) {
        Thresholds limits = thresholds.get(matcher);
        if (limits == null) {
            throw new IllegalArgumentException("no thresholds configured for matcher '" + matcher + "'");
        }
        return limits;
    }
}
