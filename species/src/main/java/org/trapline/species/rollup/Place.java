package org.trapline.species.rollup;

/**
 * Where a frame was taken, as far as the geofence cares: the site and its country (ISO 3166-1 alpha-3, as
 * SpeciesNet's geofence has them); either may be null.
 */
public record Place(String siteId, String country) {

    public static final Place UNKNOWN = new Place(null, null);
}
