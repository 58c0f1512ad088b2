package org.trapline.ingest.media;

import java.io.ByteArrayInputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Directory;
import com.drew.metadata.ErrorDirectory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;

/**
 * What a camera wrote into an image's EXIF: when (local time, and its offset when the camera wrote
 * one), which camera, and where. {@link #problems()} lists what could not be read, so that a broken
 * EXIF block is reported rather than silently taken as "no EXIF".
 */
public record ExifData(Optional<LocalDateTime> captured, Optional<ZoneOffset> offset, Optional<String> make,
                       Optional<String> model, Optional<Double> latitude, Optional<Double> longitude,
                       List<String> problems) {

    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    public static ExifData read(byte[] image) {
        List<String> problems = new ArrayList<>();
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(image), image.length);
        } catch (Exception e) {
            problems.add("EXIF unreadable: " + e.getMessage());
            return new ExifData(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), problems);
        }
        for (Directory directory : metadata.getDirectories()) {
            // a block the reader gave up on lands in an ErrorDirectory ("Exception processing TIFF data: …")
            if (directory instanceof ExifIFD0Directory || directory instanceof ExifSubIFDDirectory
                    || directory instanceof GpsDirectory || directory instanceof ErrorDirectory) {
                directory.getErrors().forEach(error -> problems.add(directory.getName() + ": " + error));
            }
        }
        ExifSubIFDDirectory sub = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);

        Optional<LocalDateTime> captured = time(sub, ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL, problems)
                .or(() -> time(ifd0, ExifIFD0Directory.TAG_DATETIME, problems));
        Optional<ZoneOffset> offset = text(sub, ExifSubIFDDirectory.TAG_TIME_ZONE_ORIGINAL).flatMap(value -> {
            try {
                return Optional.of(ZoneOffset.of(value));
            } catch (RuntimeException e) {
                problems.add("EXIF time offset '" + value + "' unreadable");
                return Optional.empty();
            }
        });
        Optional<Double> latitude = Optional.empty();
        Optional<Double> longitude = Optional.empty();
        GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        if (gps != null) {
            GeoLocation location = gps.getGeoLocation();
            if (location != null && !location.isZero()) {
                latitude = Optional.of(location.getLatitude());
                longitude = Optional.of(location.getLongitude());
            }
        }
        return new ExifData(captured, offset, text(ifd0, ExifIFD0Directory.TAG_MAKE),
                text(ifd0, ExifIFD0Directory.TAG_MODEL), latitude, longitude, List.copyOf(problems));
    }

    private static Optional<String> text(Directory directory, int tag) {
        if (directory == null) {
            return Optional.empty();
        }
        String value = directory.getString(tag);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Optional<LocalDateTime> time(Directory directory, int tag, List<String> problems) {
        return text(directory, tag).flatMap(value -> {
            if (value.startsWith("0000")) {
                return Optional.empty();  // cameras whose clock was never set write zeros
            }
            try {
                return Optional.of(LocalDateTime.parse(value, EXIF_TIME));
            } catch (DateTimeParseException e) {
                problems.add("EXIF time '" + value + "' unreadable");
                return Optional.empty();
            }
        });
    }
}
