package org.trapline.identifier.http.view;

/** Where a sighting stands: waiting for review, or identified as an individual of the gallery. */
public record SightingView(String sightingId, String status, String individualId, String individualName) {

    /** Where the API serves a sighting's crop. */
    public static String cropPath(String sightingId) {
        return "/api/sightings/" + sightingId + "/crop.jpg";
    }
}
