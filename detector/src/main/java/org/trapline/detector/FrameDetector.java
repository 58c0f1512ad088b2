package org.trapline.detector;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.trapline.detector.model.Box;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.redact.Redactor;
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
 * whether a person is on it, in which case the frame is redacted and no person box goes any further.
 */
public final class FrameDetector {

    private final LabelMap labels;
    private final Map<DetectionCategory, Float> thresholds;
    private final ModelInfo model;
    private final Redactor redactor;
    private final Clock clock;

    public FrameDetector(LabelMap labels, Map<DetectionCategory, Float> thresholds, ModelInfo model, Redactor redactor,
                         Clock clock) {
        this.labels = labels;
        this.thresholds = Map.copyOf(thresholds);
        this.model = model;
        this.redactor = redactor;
        this.clock = clock;
    }

    public FrameDetections decide(Frame frame, byte[] imageBytes, BufferedImage image, List<Box> boxes) throws IOException {
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
        BlobRef image0 = frame.getBlob();
        BlobRef shown = people.isEmpty() ? image0 : redactor.redact(image0, imageBytes, image, people);
        return FrameDetections.newBuilder()
                .setFrameId(frame.getFrameId())
                .setSiteId(frame.getSiteId())
                .setCameraId(frame.getCameraId())
                .setDeploymentId(frame.getDeploymentId())
                .setCaptureTime(frame.getCaptureTime())
                .setBlob(shown)
                .setWidth(frame.getWidth())
                .setHeight(frame.getHeight())
                .setModel(model)
                .setDetections(kept)
                .setEmpty(kept.isEmpty() && people.isEmpty())
                .setRedacted(!people.isEmpty())
                .setProcessedTime(clock.instant())
                .build();
    }
}
