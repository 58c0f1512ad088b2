package org.trapline.catalog;

import java.time.ZoneId;
import java.util.Locale;

/**
 * A place where cameras are set: a reserve's study site.
 *
 * @param timeZone the zone camera clocks at this site are set to (camera traps write local time
 *                 without a zone in EXIF); UTC when not given
 * @param country  the country the site lies in, ISO 3166-1 alpha-3 ("USA", "KEN"), as SpeciesNet's
 *                 geofence has countries: the species stage names only species known there
 *                 ({@code species.geofence.country.ISO3}); null when not given
 */
public record Site(String id, String name, Double latitude, Double longitude, String timeZone, String country) {

    public Site {
        country = country == null || country.isBlank() ? null : country.strip().toUpperCase(Locale.ROOT);
    }

    /** A site whose country is not given. */
    public Site(String id, String name, Double latitude, Double longitude, String timeZone) {
        this(id, name, latitude, longitude, timeZone, null);
    }

    public ZoneId zone() {
        return timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }
}
