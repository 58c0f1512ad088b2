package org.trapline.aggregator.counts;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.trapline.schema.BlobRef;
import org.trapline.schema.Sighting;

/**
 * What the aggregator keeps of a {@link Sighting}: enough to count it, to list it among recent sightings
 * and to export it as a Camtrap DP observation of its frame. Sightings never hold people, so neither does
 * this.
 *
 * @param individualId the identifier's own decision (null for review and unidentified); which individual
 *                     the sighting belongs to now is the gallery's to say
 * @param animals      the animals its box holds: 1 as detected, more where a reviewer counted a herd in one box
 *                     (a view stored before counts could be corrected reads as 1)
 * @param classifiedBy the reviewer who named its species; null while it is the networks' answer
 */
public record SightingFacts(String sightingId, String siteId, String cameraId, String deploymentId, long time,
                            String species, String scientificName, String individualId, String decision,
                            Float matchScore, String eventId, String frameId, int detectionIndex, float confidence,
                            float[] bbox, String blobStore, String blobUri, int animals, String classifiedBy) {

    public SightingFacts {
        animals = Math.max(1, animals);
    }

    public static SightingFacts of(Sighting s) {
        var d = s.getDetection();
        BlobRef blob = d.getBlob();
        return new SightingFacts(s.getSightingId(), s.getSiteId(), s.getCameraId(), s.getDeploymentId(),
                s.getTime().toEpochMilli(), s.getSpeciesLabel(), s.getScientificName(), s.getIndividualId(),
                s.getDecision().name(), s.getMatchScore(), s.getEventId(), d.getFrameId(), d.getDetectionIndex(),
                d.getConfidence(), new float[] {d.getBbox().getX(), d.getBbox().getY(), d.getBbox().getWidth(), d.getBbox().getHeight()},
                blob == null ? null : blob.getStore(), blob == null ? null : blob.getUri(), 1, null);
    }

    public SightingFacts withIndividualId(String id) {
        return new SightingFacts(sightingId, siteId, cameraId, deploymentId, time, species, scientificName, id, decision,
                matchScore, eventId, frameId, detectionIndex, confidence, bbox, blobStore, blobUri, animals, classifiedBy);
    }

    /** Whether a reviewer made it (an animal on a frame called empty, a box drawn): no network detected it. */
    public boolean reviewerMade() {
        return detectionIndex < 0;
    }

    /** The same sighting named by a reviewer: counted under {@code label}, exported as classified by them. */
    public SightingFacts withSpecies(String label, String scientific, String reviewer) {
        return new SightingFacts(sightingId, siteId, cameraId, deploymentId, time, label, scientific, individualId, decision,
                matchScore, eventId, frameId, detectionIndex, confidence, bbox, blobStore, blobUri, animals, reviewer);
    }

    /** The same sighting with the animals a reviewer counted in its box. */
    public SightingFacts withAnimals(int count) {
        return new SightingFacts(sightingId, siteId, cameraId, deploymentId, time, species, scientificName, individualId,
                decision, matchScore, eventId, frameId, detectionIndex, confidence, bbox, blobStore, blobUri, count,
                classifiedBy);
    }

    /**
     * Whether the two differ in anything but the identifier's own individual: what the counts are made of
     * (species, time, camera, frame, animals) or what the exports write. Such a change is counted again.
     */
    public boolean countsDifferently(SightingFacts other) {
        return !(Objects.equals(withIndividualId(null).comparable(), other.withIndividualId(null).comparable())
                && Arrays.equals(bbox, other.bbox));
    }

    /** The fields records compare, the box (an array, compared by identity) left out. */
    private List<Object> comparable() {
        return Arrays.asList(sightingId, siteId, cameraId, deploymentId, time, species, scientificName, decision,
                matchScore, eventId, frameId, detectionIndex, confidence, blobStore, blobUri, animals, classifiedBy);
    }
}
