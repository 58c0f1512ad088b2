package org.trapline.ingest.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.trapline.catalog.Camera;
import org.trapline.ingest.media.ExifData;
import org.trapline.schema.CaptureTimeSource;

class CaptureTimeTest {

    static final ZoneId SITE = ZoneId.of("Africa/Johannesburg");  // UTC+2, no daylight saving
    static final Camera ON_TIME = new Camera("cam", "site", null, null, 0);
    static final Camera TEN_MINUTES_FAST = new Camera("cam", "site", null, null, 600);
    static final Instant GATEWAY = Instant.parse("2026-03-14T04:00:00Z");
    static final Instant RECEIVED = Instant.parse("2026-03-14T09:30:00Z");

    static ExifData exif(LocalDateTime captured, ZoneOffset offset) {
        return new ExifData(Optional.ofNullable(captured), Optional.ofNullable(offset), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
    }

    @Test
    void exifLocalTimeIsReadInTheSiteZone() {
        CaptureTime time = CaptureTime.resolve(exif(LocalDateTime.parse("2026-03-14T05:42:17"), null), ON_TIME, SITE,
                Optional.of(GATEWAY), RECEIVED);
        assertEquals(new CaptureTime(Instant.parse("2026-03-14T03:42:17Z"), CaptureTimeSource.EXIF), time);
    }

    @Test
    void anOffsetWrittenByTheCameraWinsOverTheSiteZone() {
        CaptureTime time = CaptureTime.resolve(exif(LocalDateTime.parse("2026-03-14T05:42:17"), ZoneOffset.ofHours(-5)),
                ON_TIME, SITE, Optional.empty(), RECEIVED);
        assertEquals(Instant.parse("2026-03-14T10:42:17Z"), time.time());
    }

    @Test
    void aFastClockIsCorrected() {
        CaptureTime time = CaptureTime.resolve(exif(LocalDateTime.parse("2026-03-14T05:42:17"), null), TEN_MINUTES_FAST,
                SITE, Optional.empty(), RECEIVED);
        assertEquals(Instant.parse("2026-03-14T03:32:17Z"), time.time());
    }

    @Test
    void withoutExifTheGatewayTimeThenTheReceivedTime() {
        assertEquals(new CaptureTime(GATEWAY, CaptureTimeSource.GATEWAY),
                CaptureTime.resolve(exif(null, null), TEN_MINUTES_FAST, SITE, Optional.of(GATEWAY), RECEIVED),
                "the gateway's clock is not the camera's: no correction");
        assertEquals(new CaptureTime(RECEIVED, CaptureTimeSource.RECEIVED),
                CaptureTime.resolve(exif(null, null), ON_TIME, SITE, Optional.empty(), RECEIVED));
    }
}
