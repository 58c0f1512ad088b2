package org.trapline.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether bytes are an image Trapline takes, and how large it is. The type comes from the
 * bytes' signature, never from a file name or a header a gateway sent; the whole image is decoded once
 * (at a sixteenth of its pixels, which still reads every compressed byte), so that a truncated or corrupt
 * file is refused at the door rather than failing in the detector. Ingest checks every upload with it, the
 * identifier every photo it is asked to identify.
 */
public final class ImageInspector {

    /** What the image is. */
    public record ImageInfo(String mediaType, int width, int height) {
    }

    private ImageInspector() {
    }

    public static ImageInfo inspect(byte[] bytes) throws UnreadableImage {
        String mediaType = MediaTypes.sniff(bytes);
        String format = switch (mediaType) {
            case MediaTypes.JPEG -> "jpeg";
            case MediaTypes.PNG -> "png";
            default -> throw new UnreadableImage(UnreadableImage.Kind.NOT_AN_IMAGE, "not an image Trapline reads (JPEG or PNG): "
                    + MediaTypes.describe(mediaType, bytes));
        };
        if (format.equals("jpeg") && !hasEndOfImageMarker(bytes)) {
            throw new UnreadableImage(UnreadableImage.Kind.CORRUPT,
                    "truncated JPEG: no end-of-image marker after " + bytes.length + " bytes");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JDK has no " + format + " reader");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(4, 4, 0, 0);
            BufferedImage decoded = reader.read(0, param);
            if (decoded == null || width <= 0 || height <= 0) {
                throw new UnreadableImage(UnreadableImage.Kind.CORRUPT, "corrupt " + mediaType + ": no picture in it");
            }
            if (!warnings.isEmpty()) {
                throw new UnreadableImage(UnreadableImage.Kind.CORRUPT, "corrupt " + mediaType + ": " + String.join("; ", warnings));
            }
            return new ImageInfo(mediaType, width, height);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableImage(UnreadableImage.Kind.CORRUPT, "corrupt " + mediaType + ": " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }

    /** JPEG ends with FFD9; some cameras pad the file after it with zeros. */
    static boolean hasEndOfImageMarker(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end >= 2 && (bytes[end - 2] & 0xff) == 0xff && (bytes[end - 1] & 0xff) == 0xd9;
    }
}
