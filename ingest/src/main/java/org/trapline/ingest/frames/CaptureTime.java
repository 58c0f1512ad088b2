package org.trapline.ingest.frames;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.trapline.catalog.Camera;
import org.trapline.ingest.media.ExifData;
import org.trapline.schema.CaptureTimeSource;

/**
 * When a picture was taken, and how Trapline knows: the camera's EXIF time (in the offset it wrote, else
 * its site's zone, corrected by the camera's known clock offset), else the time the gateway sent, else
 * the time Trapline received it.
 */
public record CaptureTime(Instant time, CaptureTimeSource source) {

    public static CaptureTime resolve(ExifData exif, Camera camera, ZoneId siteZone, Optional<Instant> gatewayTime,
                                      Instant received) {
        if (exif.captured().isPresent()) {
            Instant local = exif.offset()
                    .map(offset -> exif.captured().get().toInstant(offset))
                    .orElseGet(() -> exif.captured().get().atZone(siteZone).toInstant());
            return new CaptureTime(local.minusSeconds(camera.clockOffsetSeconds()), CaptureTimeSource.EXIF);
        }
        return gatewayTime.map(t -> new CaptureTime(t, CaptureTimeSource.GATEWAY))
                .orElseGet(() -> new CaptureTime(received, CaptureTimeSource.RECEIVED));
    }
}
