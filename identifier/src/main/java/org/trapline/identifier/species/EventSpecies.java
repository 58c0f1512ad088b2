package org.trapline.identifier.species;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.trapline.schema.CameraSequence;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.EventVote;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.SpeciesClassification;
import org.trapline.species.event.EventLabels;
import org.trapline.species.event.EventMember;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Taxon;

/**
 * Decides the species each animal on a frame is identified and counted as.
 *
 * <p>Where the detector's species stage named the animal, the name is the event's: the classifier's
 * animal answers on all of the event's frames so far (its votes, kept with the camera's open event, this
 * frame's and those of its poll included) go through {@link EventLabels}, and the frame's own answer takes
 * the label the vote gives it. So one species seen over a burst gets one name, a blurred frame's "cat
 * family" becomes the sharp frame's cougar, and a frame's unsure bobcat is outvoted by the cougar of its
 * family; a second species stays a second species when it weighs enough, is seen beside the first on one
 * frame, is sure of itself, or is of another family (a dog's votes never make a pheasant a dog).
 *
 * <p>Where the stage did not name it (the stage off, its crop failed, or the classifier saw no animal where
 * the detector did), the detector's own label, without a scientific name.
 */
public final class EventSpecies {

    private final EventLabels labels;

    /** @param minShare a second species' least share of the event's animal score ({@code species.event.min.share}) */
    public EventSpecies(double minShare) {
        this(minShare, EventLabels.DEFAULT_RELATIVE_MAX_SCORE);
    }

    /**
     * @param minShare         a second species' least share of the event's animal score ({@code species.event.min.share})
     * @param relativeMaxScore the score under which an answer may take the name of a species of its own family
     *                         in the event ({@code species.event.relative.max.score})
     */
    public EventSpecies(double minShare, double relativeMaxScore) {
        this.labels = new EventLabels(minShare, relativeMaxScore);
    }

    /**
     * The frame's animal answers, as the event keeps them: only answers that name an animal detection of
     * the frame, with a lineage that reads; any other answer does not vote (its animal keeps its own name).
     */
    public static List<EventVote> votes(FrameDetections frame) {
        List<EventVote> votes = new ArrayList<>();
        for (SpeciesClassification c : frame.getClassifications()) {
            if (c.getKind() == ClassificationKind.ANIMAL && readable(c.getTaxonomy()) && namesAnAnimal(frame, c)) {
                votes.add(new EventVote(frame.getFrameId(), c.getDetection(), c.getLabel(), c.getTaxonomy(), c.getScore()));
            }
        }
        return votes;
    }

    /** Whether a lineage reads as a taxon: one that does not must not stop the identifier at every vote. */
    private static boolean readable(String taxonomy) {
        if (taxonomy == null) {
            return false;
        }
        try {
            Taxon.parse(taxonomy);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean namesAnAnimal(FrameDetections frame, SpeciesClassification c) {
        List<Detection> detections = frame.getDetections();
        return c.getDetection() >= 0 && c.getDetection() < detections.size()
                && detections.get(c.getDetection()).getCategory() == DetectionCategory.ANIMAL;
    }

    /**
     * The species of each animal detection of the frame, by detection index.
     *
     * @param event the frame's event with the votes of its frames so far, this frame's included
     */
    public Map<Integer, AnimalSpecies> species(FrameDetections frame, CameraSequence event) {
        List<EventVote> votes = event.getVotes();
        List<EventMember> members = new ArrayList<>(votes.size());
        for (EventVote vote : votes) {
            Taxon taxon = Taxon.parse(vote.getTaxonomy());
            members.add(new EventMember(vote.getFrameId(), new SpeciesResult(LabelKind.ANIMAL, vote.getLabel(), taxon,
                    taxon.rank(), vote.getScore(), "classifier", List.of(), null, Set.of())));
        }
        List<SpeciesResult> voted = members.isEmpty() ? List.of() : labels.label(members);

        Map<Integer, AnimalSpecies> species = new HashMap<>();
        for (int i = 0; i < frame.getDetections().size(); i++) {
            if (frame.getDetections().get(i).getCategory() == DetectionCategory.ANIMAL) {
                species.put(i, AnimalSpecies.ofDetector(frame.getDetections().get(i)));
            }
        }
        for (SpeciesClassification c : frame.getClassifications()) {
            if (c.getKind() != ClassificationKind.ANIMAL || !species.containsKey(c.getDetection())) {
                continue;
            }
            int vote = lastVoteOf(votes, frame.getFrameId(), c.getDetection());
            SpeciesResult named = vote < 0 ? null : voted.get(vote);
            species.put(c.getDetection(), named != null ? new AnimalSpecies(named.label(), named.scientificName(), named.taxon())
                    : new AnimalSpecies(c.getLabel(), c.getScientificName(), lineage(c.getTaxonomy())));  // its vote dropped: its own
        }
        return species;
    }

    private static Taxon lineage(String taxonomy) {
        return readable(taxonomy) ? Taxon.parse(taxonomy) : null;
    }

    private static int lastVoteOf(List<EventVote> votes, String frameId, int detection) {
        for (int i = votes.size() - 1; i >= 0; i--) {
            if (votes.get(i).getFrameId().equals(frameId) && votes.get(i).getDetection() == detection) {
                return i;
            }
        }
        return -1;
    }
}
