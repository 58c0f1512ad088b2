package org.trapline.catalog;

import java.time.ZoneId;

/**
 * A place where cameras are set: a reserve's study site.
 *
 * @param timeZone the zone camera clocks at this site are set to (camera traps write local time
 *                 without a zone in EXIF); UTC when not given
 */
public record Site(String id, String name, Double latitude, Double longitude, String timeZone) {

    public ZoneId zone() {
        return timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    }
}
