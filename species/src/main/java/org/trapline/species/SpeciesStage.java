package org.trapline.species;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.djl.translate.TranslateException;
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
 * Cropping and classifying are offered apart ({@link #crop}, {@link #classifyCrops}) for a caller that
 * crops as soon as the boxes are known and classifies many frames' crops later, as the detector does.
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
        this.events = new EventLabels(settings.eventMinShare(), settings.eventRelativeMaxScore());
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
        List<Crop> crops = new ArrayList<>();
        for (FrameBoxes f : frames) {
            for (AnimalBox box : f.boxes()) {
                crops.add(new Crop(crop(f.frame(), box), box, f.place()));
            }
        }
        List<SpeciesResult> answers = classifyCrops(crops);
        List<List<SpeciesResult>> results = new ArrayList<>(frames.size());
        int next = 0;
        for (FrameBoxes f : frames) {
            results.add(answers.subList(next, next + f.boxes().size()));
            next += f.boxes().size();
        }
        return results;
    }

    /**
     * The part of the frame the classifier sees for one box, drawn at its input size. A caller that
     * classifies later (the detector, once a whole poll is detected) crops as soon as the boxes are known,
     * so that only the small crops are kept, not the decoded frames.
     */
    public BufferedImage crop(BufferedImage frame, AnimalBox box) {
        return settings.crop().crop(frame, box.x(), box.y(), box.width(), box.height(), settings.model().inputSize());
    }

    /**
     * One answer per crop, in order: every crop through the classifier together (one inference call each
     * {@code species.batch.size}), then each rolled up with its box's category and confidence and
     * geofenced for its place.
     */
    public List<SpeciesResult> classifyCrops(List<Crop> crops) throws TranslateException, InterruptedException {
        List<float[]> probabilities = model.classify(crops.stream().map(Crop::image).toList());
        List<SpeciesResult> results = new ArrayList<>(crops.size());
        for (int i = 0; i < crops.size(); i++) {
            Crop crop = crops.get(i);
            Optional<AllowList> allowList = settings.geofence().forPlace(crop.place());
            results.add(rollup.decide(probabilities.get(i), crop.box().category(), crop.box().confidence(), allowList));
        }
        return results;
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
