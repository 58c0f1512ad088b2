package org.trapline.catalog;

/**
 * A camera trap.
 *
 * @param siteId             the site it stands at now
 * @param clockOffsetSeconds how far its clock is known to run ahead (positive) or behind (negative);
 *                           subtracted from its EXIF times
 */
public record Camera(String id, String siteId, String make, String model, long clockOffsetSeconds) {
}
