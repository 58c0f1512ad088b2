package org.trapline.detector;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.trapline.detector.model.Box;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.SpeciesClassification;
import org.trapline.species.SpeciesRecords;
import org.trapline.species.result.SpeciesResult;

/**
 * Decides what a frame's boxes mean: which clear their category's threshold (MegaDetector's 0.2 by
 * default), whether the frame is empty (nothing cleared: counted as a blank, never identified), and
 * whether a person is on it, in which case the frame is redacted and no person box goes any further;
 * boxes at a place on the camera where they recur too often are suppressed (see {@link RepeatDetections});
 * and which answer of the species stage goes with which published animal.
 */
public final class FrameDetector {

    private final LabelMap labels;
    private final Map<DetectionCategory, Float> thresholds;
    private final ModelInfo model;
    private final Redactor redactor;
    private final RepeatDetections repeats;
    private final Clock clock;

    /**
     * The published result, the boxes to count at their places once it is committed, and, by detection
     * index, why the species stage could not name a published animal (the result goes out without it).
     */
    public record Decision(FrameDetections result, RepeatDetections.Split repeats, Map<Integer, String> speciesFailures) {
    }

    public FrameDetector(LabelMap labels, Map<DetectionCategory, Float> thresholds, ModelInfo model, Redactor redactor,
                         RepeatDetections repeats, Clock clock) {
        this.labels = labels;
        this.thresholds = Map.copyOf(thresholds);
        this.model = model;
        this.redactor = redactor;
        this.repeats = repeats;
        this.clock = clock;
    }

    /** The box's category if it clears that category's threshold; empty for a box that is no detection. */
    private Optional<DetectionCategory> published(Box box) {
        return labels.category(box.classIndex()).filter(category -> box.confidence() >= thresholds.get(category));
    }

    /**
     * The indices of the boxes that {@link #decide} publishes as animals, unless they are suppressed as
     * repeats (which is known only when the frame is decided): the boxes the species stage classifies.
     */
    public List<Integer> animalCandidates(List<Box> boxes) {
        List<Integer> animals = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            if (published(boxes.get(i)).orElse(null) == DetectionCategory.ANIMAL) {
                animals.add(i);
            }
        }
        return animals;
    }

    /**
     * The frame's result: its published detections, and for each published animal the species stage's
     * answer for its box ({@code species}, by the box's index in {@code boxes}), naming its detection by
     * index in the published list.
     */
    public Decision decide(Frame frame, byte[] imageBytes, List<Box> boxes, BoxSpecies species) throws IOException {
        List<Detection> kept = new ArrayList<>();
        Map<Detection, Integer> boxOf = new IdentityHashMap<>();
        List<BoundingBox> people = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            DetectionCategory category = published(box).orElse(null);
            if (category == null) {
                continue;
            }
            BoundingBox bbox = new BoundingBox(box.x(), box.y(), box.width(), box.height());
            if (category == DetectionCategory.PERSON) {
                people.add(bbox);
            } else {
                Detection detection = new Detection(category, labels.label(box.classIndex()), box.confidence(), bbox);
                kept.add(detection);
                boxOf.put(detection, i);
            }
        }
        RepeatDetections.Split split = repeats.classify(frame.getCameraId(), kept, frame.getCaptureTime());
        List<SpeciesClassification> classifications = new ArrayList<>();
        Map<Integer, String> failures = new TreeMap<>();
        for (int index = 0; index < split.kept().size(); index++) {
            Detection detection = split.kept().get(index);
            if (detection.getCategory() != DetectionCategory.ANIMAL) {
                continue;
            }
            int box = boxOf.get(detection);
            SpeciesResult answer = species.answers().get(box);
            if (answer != null) {
                classifications.add(SpeciesRecords.toAvro(index, answer));
            } else if (species.failures().containsKey(box)) {
                failures.put(index, species.failures().get(box));
            }
        }
        BlobRef original = frame.getBlob();
        BlobRef shown = people.isEmpty() ? original : redactor.redact(original, imageBytes, people);
        return new Decision(FrameDetections.newBuilder()
                .setFrameId(frame.getFrameId())
                .setSiteId(frame.getSiteId())
                .setCameraId(frame.getCameraId())
                .setDeploymentId(frame.getDeploymentId())
                .setCaptureTime(frame.getCaptureTime())
                .setBlob(shown)
                .setWidth(frame.getWidth())
                .setHeight(frame.getHeight())
                .setModel(model)
                .setDetections(split.kept())
                .setSuppressedRepeats(split.suppressed())
                .setEmpty(split.kept().isEmpty() && people.isEmpty())
                .setRedacted(!people.isEmpty())
                .setProcessedTime(clock.instant())
                .setOriginalFileName(frame.getOriginalFileName())
                .setClassifications(classifications)
                .build(), split, failures);
    }
}
