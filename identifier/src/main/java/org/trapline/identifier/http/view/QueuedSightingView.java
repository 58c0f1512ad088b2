package org.trapline.identifier.http.view;

import java.util.List;
import java.util.Optional;

import org.trapline.identifier.gallery.Gallery;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;

/** A sighting waiting for a reviewer, with its candidates as they stand now. */
public record QueuedSightingView(String sightingId, String siteId, String cameraId, String time, String species,
                                 String scientificName, String eventId, Float score, String crop,
                                 List<Candidate> candidates) {

    /**
     * A candidate the matchers proposed, and who it is now: it may have been named or merged since.
     *
     * @param currentId the individual the candidate lives on as (itself, or whom it was merged into)
     */
    public record Candidate(String individualId, String currentId, String name, float score, String matcher) {
    }

    /** Only under the state's lock, as the gallery is read. */
    public static QueuedSightingView of(Sighting sighting, Gallery gallery) {
        return new QueuedSightingView(sighting.getSightingId(), sighting.getSiteId(), sighting.getCameraId(),
                sighting.getTime().toString(), sighting.getSpeciesLabel(), sighting.getScientificName(), sighting.getEventId(),
                sighting.getMatchScore(), SightingView.cropPath(sighting.getSightingId()),
                sighting.getCandidates().stream().map(c -> {
                    Optional<IndividualUpdate> now = gallery.resolve(c.getIndividualId());
                    return new Candidate(c.getIndividualId(), now.map(IndividualUpdate::getIndividualId).orElse(null),
                            now.map(IndividualUpdate::getName).orElse(null), c.getScore(), c.getMatcher());
                }).toList());
    }
}
