package org.trapline.species.rollup;

import java.util.Map;
import java.util.Optional;

/**
 * Decides which allow-list applies where: a site's own list, else its country's, else none (every taxon
 * allowed, as SpeciesNet does without a country).
 */
public record Geofence(Map<String, AllowList> sites, Map<String, AllowList> countries) {

    public static final Geofence NONE = new Geofence(Map.of(), Map.of());

    public Geofence {
        sites = Map.copyOf(sites);
        countries = Map.copyOf(countries);
    }

    /** The allow-list for a place; a site's own list wins over its country's. */
    public Optional<AllowList> forPlace(Place place) {
        if (place.siteId() != null && sites.containsKey(place.siteId())) {
            return Optional.of(sites.get(place.siteId()));
        }
        return Optional.ofNullable(place.country()).map(c -> countries.get(c.toUpperCase(java.util.Locale.ROOT)));
    }
}
