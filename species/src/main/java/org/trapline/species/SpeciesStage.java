package org.trapline.species;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.djl.translate.TranslateException;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.SpeciesClassification;
import org.trapline.species.event.EventLabels;
import org.trapline.species.event.EventMember;
import org.trapline.species.model.ClassifierModel;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.rollup.AllowList;
import org.trapline.species.rollup.Place;
import org.trapline.species.rollup.Rollup;

/**
 * The species stage: for each animal box of a frame already decoded, a square crop, the classifier's
 * probabilities (every crop of a batch of frames through one inference call each {@code batchSize}),
 * then rollup and geofence into one {@link SpeciesResult}; and, per event, one label per species.
 * It holds no state but the loaded classifier, and may be called from several threads (as many at once
 * as {@code species.inference.threads}).
 */
public final class SpeciesStage implements AutoCloseable {

    private final SpeciesSettings settings;
    private final ClassifierModel model;
    private final Rollup rollup;
    private final EventLabels events;

    public SpeciesStage(SpeciesSettings settings, ClassifierModel model) {
        this.settings = settings;
        this.model = model;
        this.rollup = new Rollup(settings.labels(), settings.thresholds(), settings.classifier());
        this.events = new EventLabels(settings.eventMinShare());
    }

    /** Loads the classifier the settings name. */
    public static SpeciesStage load(SpeciesSettings settings) throws IOException {
        return new SpeciesStage(settings, ClassifierModel.load(settings.model()));
    }

    public SpeciesSettings settings() {
        return settings;
    }

    /** One answer per box, in order. */
    public List<SpeciesResult> classify(BufferedImage frame, List<AnimalBox> boxes, Place place)
            throws TranslateException, InterruptedException {
        return classifyFrames(List.of(new FrameBoxes(frame, boxes, place))).get(0);
    }

    /** One answer per box of each frame, in order; the crops of all frames go through the classifier together. */
    public List<List<SpeciesResult>> classifyFrames(List<FrameBoxes> frames) throws TranslateException, InterruptedException {
        int size = settings.model().inputSize();
        List<BufferedImage> crops = new ArrayList<>();
        for (FrameBoxes f : frames) {
            for (AnimalBox box : f.boxes()) {
                crops.add(settings.crop().crop(f.frame(), box.x(), box.y(), box.width(), box.height(), size));
            }
        }
        List<float[]> probabilities = model.classify(crops);
        List<List<SpeciesResult>> results = new ArrayList<>(frames.size());
        int next = 0;
        for (FrameBoxes f : frames) {
            Optional<AllowList> allowList = settings.geofence().forPlace(f.place());
            List<SpeciesResult> onFrame = new ArrayList<>(f.boxes().size());
            for (AnimalBox box : f.boxes()) {
                onFrame.add(rollup.decide(probabilities.get(next++), box.category(), box.confidence(), allowList));
            }
            results.add(onFrame);
        }
        return results;
    }

    /**
     * The classifications of a frame's animal detections, as {@code FrameDetections.classifications}
     * carries them (each naming its detection by index); other detections are not classified.
     */
    public List<SpeciesClassification> classifyDetections(BufferedImage frame, List<Detection> detections, Place place)
            throws TranslateException, InterruptedException {
        List<AnimalBox> boxes = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            if (detections.get(i).getCategory() == DetectionCategory.ANIMAL) {
                boxes.add(AnimalBox.of(detections.get(i)));
                indices.add(i);
            }
        }
        List<SpeciesResult> results = boxes.isEmpty() ? List.of() : classify(frame, boxes, place);
        List<SpeciesClassification> classifications = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            classifications.add(SpeciesRecords.toAvro(indices.get(i), results.get(i)));
        }
        return classifications;
    }

    /** The answers of one event's boxes, relabelled so that one species gets one label (see {@link EventLabels}). */
    public List<SpeciesResult> labelEvent(List<EventMember> members) {
        return events.label(members);
    }

    @Override
    public void close() {
        model.close();
    }
}
