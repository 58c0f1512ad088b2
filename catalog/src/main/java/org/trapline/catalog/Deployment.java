package org.trapline.catalog;

import java.time.Instant;

/**
 * A camera at a site for a period: the unit of sampling effort ecologists count trap-nights by.
 *
 * @param end exclusive; null while the camera is still out
 */
public record Deployment(String id, String cameraId, String siteId, Instant start, Instant end) {

    public boolean covers(Instant time) {
        return !time.isBefore(start) && (end == null || time.isBefore(end));
    }
}
