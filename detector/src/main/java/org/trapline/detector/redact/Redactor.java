package org.trapline.detector.redact;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;


import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.JpegEncoder;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;

/**
 * Keeps people out of everything downstream. The people on a frame are pixelated beyond recognition in
 * a copy, which becomes the frame's image for every later service, page and export. The original then
 * leaves the shared store: deleted ({@code blur}, the default), or moved under {@code restricted/},
 * which only operators' tools read ({@code restrict}), once the redacted result is committed, through a
 * {@link RedactionJournal} that a crash cannot break.
 */
public final class Redactor {

    /** What happens to the original image. */
    public enum Mode {
        BLUR, RESTRICT;

        public static Mode parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** The bytes of a frame with a person on it are not a picture: it cannot be redacted, so it goes nowhere. */
    public static final class UnreadableImageException extends IOException {
        public UnreadableImageException(String message) {
            super(message);
        }
    }

    private final BlobStore blobs;
    private final Mode mode;
    private final ImageDecoder decoder = ImageDecoder.whole();

    public Redactor(BlobStore blobs, Mode mode) {
        this.blobs = blobs;
        this.mode = mode;
    }

    /**
     * Stores the redacted copy (and, in restrict mode, the original where only operators read it). The
     * original is decoded whole here: the detector decodes a large frame reduced to the network's size,
     * and only the few frames with people need every pixel.
     */
    public BlobRef redact(BlobRef original, byte[] originalBytes, List<BoundingBox> people) throws IOException {
        BufferedImage image = decoder.decode(originalBytes).orElseThrow(() -> new UnreadableImageException(
                "image " + original.getUri() + " (" + originalBytes.length + " bytes) cannot be decoded whole for redaction"));
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
            for (BoundingBox person : people) {
                pixelate(g, image, person);
            }
        } finally {
            g.dispose();
        }
        byte[] jpeg = JpegEncoder.encode(copy);
        String key = BlobKeys.content(BlobKeys.sha256(jpeg));
        blobs.put(key, jpeg);
        if (mode == Mode.RESTRICT) {
            blobs.put(restrictedKey(original), originalBytes);
        }
        return new BlobRef(blobs.name(), key, (long) jpeg.length);
    }

    /** What must happen to the original once the redacted frame is committed. */
    public RedactionJournal.Removal removal(BlobRef original) {
        return new RedactionJournal.Removal(original.getUri(), mode == Mode.RESTRICT ? restrictedKey(original) : null);
    }

    static String restrictedKey(BlobRef original) {
        return BlobKeys.check("restricted/" + original.getUri());
    }

    /** The box, grown by a tenth on each side, as a mosaic of about ten blocks across. */
    private static void pixelate(Graphics2D g, BufferedImage image, BoundingBox box) {
        int w = image.getWidth();
        int h = image.getHeight();
        int x0 = clamp(Math.round((box.getX() - box.getWidth() * 0.1f) * w), w);
        int y0 = clamp(Math.round((box.getY() - box.getHeight() * 0.1f) * h), h);
        int x1 = clamp(Math.round((box.getX() + box.getWidth() * 1.1f) * w), w);
        int y1 = clamp(Math.round((box.getY() + box.getHeight() * 1.1f) * h), h);
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            return;
        }
        int block = Math.max(4, Math.max(x1 - x0, y1 - y0) / 10);
        int smallW = Math.max(1, (x1 - x0) / block);
        int smallH = Math.max(1, (y1 - y0) / block);
        BufferedImage small = new BufferedImage(smallW, smallH, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D s = small.createGraphics();
        s.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        s.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        s.drawImage(image, 0, 0, smallW, smallH, x0, y0, x1, y1, null);
        s.dispose();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(small, x0, y0, x1, y1, 0, 0, smallW, smallH, null);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
