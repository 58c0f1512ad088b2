package org.trapline.ingest.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;
import org.junit.jupiter.api.Test;
import org.trapline.localstack.samples.SharedData;

class ExifDataTest {

    static final Path SAMPLES = SharedData.locate().images().resolve("camera-traps");

    @Test
    void aCameraTrapsTimeMakeAndModel() throws Exception {
        ExifData exif = ExifData.read(Files.readAllBytes(SAMPLES.resolve("nacti.jpg")));
        assertEquals(Optional.of(LocalDateTime.parse("2016-02-20T08:13:15")), exif.captured());
        assertEquals(Optional.of("RECONYX"), exif.make());
        assertEquals(Optional.of("HC550 HYPERFIRE"), exif.model());
        assertEquals(List.of(), exif.problems());
    }

    @Test
    void gpsWhereTheCameraWroteIt() throws Exception {
        TiffOutputSet gps = new TiffOutputSet();
        gps.setGpsInDegrees(34.8333, -2.3333);  // longitude, latitude: Serengeti
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        new ExifRewriter().updateExifMetadataLossless(Files.readAllBytes(SAMPLES.resolve("pheasant_web.jpg")), tagged, gps);
        ExifData exif = ExifData.read(tagged.toByteArray());
        assertEquals(-2.3333, exif.latitude().orElseThrow(), 1e-4);
        assertEquals(34.8333, exif.longitude().orElseThrow(), 1e-4);
    }

    @Test
    void noExifIsNoProblemButABrokenBlockIs() throws Exception {
        ExifData none = ExifData.read(Files.readAllBytes(SAMPLES.resolve("pheasant_web.jpg")));
        assertTrue(none.captured().isEmpty());
        assertEquals(List.of(), none.problems());
        ExifData damaged = ExifData.read(TestImages.withBrokenExif(Files.readAllBytes(SAMPLES.resolve("idaho-camera-traps.jpg"))));
        assertFalse(damaged.problems().isEmpty());
        assertTrue(damaged.problems().get(0).contains("byte ordering"), damaged.problems().toString());
    }
}
