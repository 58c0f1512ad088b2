package org.trapline.aggregator.counts;

import org.trapline.schema.Correction;

/**
 * What the aggregator keeps of a {@link Correction} (as JSON, on its internal topic and in its stores).
 *
 * @param bbox null, or {@code [x, y, width, height]} normalised
 */
public record CorrectionFacts(String correctionId, String frameId, String siteId, String cameraId, String deploymentId,
                              long captureTime, String sightingId, String kind, String scientificName, String commonName,
                              Integer count, float[] bbox, String reviewer, long decidedAt) {

    public static CorrectionFacts of(Correction c) {
        var b = c.getBbox();
        return new CorrectionFacts(c.getCorrectionId(), c.getFrameId(), c.getSiteId(), c.getCameraId(), c.getDeploymentId(),
                c.getCaptureTime().toEpochMilli(), c.getSightingId(), c.getKind().name(), c.getScientificName(),
                c.getCommonName(), c.getCount(),
                b == null ? null : new float[] {b.getX(), b.getY(), b.getWidth(), b.getHeight()}, c.getReviewer(),
                c.getDecidedAt().toEpochMilli());
    }

    /** What the species is counted as: the taxonomy's common name where the reviewer's choice has one. */
    String label() {
        return commonName != null && !commonName.isBlank() ? commonName : scientificName;
    }
}
