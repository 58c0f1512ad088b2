package org.trapline.detector;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.trapline.detector.model.Box;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;

/**
 * Decides what a frame's boxes mean: which clear their category's threshold (MegaDetector's 0.2 by
 * default), whether the frame is empty (nothing cleared: counted as a blank, never identified), and
 * whether a person is on it, in which case the frame is redacted and no person box goes any further;
 * boxes at a place on the camera where they recur too often are suppressed (see {@link RepeatDetections}).
 */
public final class FrameDetector {

    private final LabelMap labels;
    private final Map<DetectionCategory, Float> thresholds;
    private final ModelInfo model;
    private final Redactor redactor;
    private final RepeatDetections repeats;
    private final Clock clock;

    /** The published result, and the boxes to count at their places once it is committed. */
    public record Decision(FrameDetections result, RepeatDetections.Split repeats) {
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

    public Decision decide(Frame frame, byte[] imageBytes, List<Box> boxes) throws IOException {
        List<Detection> kept = new ArrayList<>();
        List<BoundingBox> people = new ArrayList<>();
        for (Box box : boxes) {
            DetectionCategory category = labels.category(box.classIndex()).orElse(null);
            if (category == null || box.confidence() < thresholds.get(category)) {
                continue;
            }
            BoundingBox bbox = new BoundingBox(box.x(), box.y(), box.width(), box.height());
            if (category == DetectionCategory.PERSON) {
                people.add(bbox);
            } else {
                kept.add(new Detection(category, labels.label(box.classIndex()), box.confidence(), bbox));
            }
        }
        RepeatDetections.Split split = repeats.classify(frame.getCameraId(), kept, frame.getCaptureTime());
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
                .build(), split);
    }
}
