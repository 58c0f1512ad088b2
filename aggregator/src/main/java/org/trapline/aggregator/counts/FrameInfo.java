package org.trapline.aggregator.counts;

import java.util.ArrayList;
import java.util.List;

import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.SpeciesClassification;

/**
 * What the detector said of a frame, as a reviewer needs it: where and when, the image downstream may read
 * (the redacted copy when people were found), every box with its category, label and score, and the species
 * stage's answer for each animal box.
 *
 * @param empty    the detector found no animal on it
 * @param redacted the detector found people and blurred them out of {@code blobUri}'s image
 */
public record FrameInfo(String frameId, String siteId, String cameraId, String deploymentId, long captureTime,
                        String blobStore, String blobUri, int width, int height, boolean empty, boolean redacted,
                        List<Box> boxes) {

    /**
     * One box: the detector's {@code category}, {@code label} and {@code confidence}; for an animal, the species
     * stage's {@code species} (its scientific name, or null) and {@code speciesLabel} with {@code speciesScore}.
     */
    public record Box(int index, String category, String label, float confidence, float[] bbox, String speciesLabel,
                      String species, Float speciesScore) {
    }

    public static FrameInfo of(FrameDetections d) {
        List<Box> boxes = new ArrayList<>();
        for (int i = 0; i < d.getDetections().size(); i++) {
            Detection det = d.getDetections().get(i);
            int index = i;
            SpeciesClassification named = d.getClassifications().stream().filter(c -> c.getDetection() == index)
                    .findFirst().orElse(null);
            var b = det.getBbox();
            boxes.add(new Box(i, det.getCategory().name(), det.getLabel(), det.getConfidence(),
                    new float[] {b.getX(), b.getY(), b.getWidth(), b.getHeight()},
                    named == null ? null : named.getLabel(), named == null ? null : named.getScientificName(),
                    named == null ? null : named.getScore()));
        }
        return new FrameInfo(d.getFrameId(), d.getSiteId(), d.getCameraId(), d.getDeploymentId(),
                d.getCaptureTime().toEpochMilli(), d.getBlob().getStore(), d.getBlob().getUri(), d.getWidth(), d.getHeight(),
                d.getEmpty(), d.getRedacted(), List.copyOf(boxes));
    }

    /** Whether people are on it that its image still shows: a person's box on a frame that was not redacted. */
    public boolean showsPeople() {
        return !redacted && boxes.stream().anyMatch(b -> DetectionCategory.PERSON.name().equals(b.category()));
    }

    /** The highest animal score on the frame, 0 when it has none. */
    public float animalConfidence() {
        return (float) boxes.stream().filter(b -> DetectionCategory.ANIMAL.name().equals(b.category()))
                .mapToDouble(Box::confidence).max().orElse(0);
    }
}
