package org.trapline.aggregator.counts;

import org.trapline.schema.BlobRef;
import org.trapline.schema.Sighting;

/**
 * What the aggregator keeps of a {@link Sighting}: enough to count it, to list it among recent sightings
 * and to export it as a Camtrap DP observation of its frame. Sightings never hold people, so neither does
 * this.
 *
 * @param individualId the identifier's own decision (null for review and unidentified); which individual
 *                     the sighting belongs to now is the gallery's to say
 */
public record SightingFacts(String sightingId, String siteId, String cameraId, String deploymentId, long time,
                            String species, String scientificName, String individualId, String decision,
                            Float matchScore, String eventId, String frameId, int detectionIndex, float confidence,
                            float[] bbox, String blobStore, String blobUri) {

    public static SightingFacts of(Sighting s) {
        var d = s.getDetection();
        BlobRef blob = d.getBlob();
        return new SightingFacts(s.getSightingId(), s.getSiteId(), s.getCameraId(), s.getDeploymentId(),
                s.getTime().toEpochMilli(), s.getSpeciesLabel(), s.getScientificName(), s.getIndividualId(),
                s.getDecision().name(), s.getMatchScore(), s.getEventId(), d.getFrameId(), d.getDetectionIndex(),
                d.getConfidence(), new float[] {d.getBbox().getX(), d.getBbox().getY(), d.getBbox().getWidth(), d.getBbox().getHeight()},
                blob == null ? null : blob.getStore(), blob == null ? null : blob.getUri());
    }

    public SightingFacts withIndividualId(String id) {
        return new SightingFacts(sightingId, siteId, cameraId, deploymentId, time, species, scientificName, id, decision,
                matchScore, eventId, frameId, detectionIndex, confidence, bbox, blobStore, blobUri);
    }
}
