package org.trapline.identifier.crop;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.trapline.blob.BlobStore;
import org.trapline.inference.crop.ClippedCrop;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;

/**
 * Animal crops cut from frames by their normalised boxes, with a margin ({@link ClippedCrop}), from the
 * blob store's pictures.
 */
public final class Crops {

    private final BlobStore blobs;
    private final ClippedCrop clipped;

    /** @param margin added on each side, as a share of the box's width and height */
    public Crops(BlobStore blobs, float margin) {
        this.blobs = blobs;
        this.clipped = new ClippedCrop(margin);
    }

    /** The whole picture a blob holds. */
    public BufferedImage image(BlobRef blob) throws IOException {
        Optional<byte[]> stored;
        try {
            stored = blobs.get(blob.getUri());
        } catch (IllegalArgumentException e) {
            // a key no blob can have (".." or odd characters): the reference is wrong, not the store
            throw new IOException("image " + blob.getStore() + ":" + blob.getUri() + " names a blob key the store refuses", e);
        }
        byte[] bytes = stored.orElseThrow(() -> new IOException(
                "image " + blob.getStore() + ":" + blob.getUri() + " is not in the blob store"));
        return decode(bytes, "image " + blob.getUri());
    }

    /** A picture's bytes decoded as every crop is: by ImageIO, EXIF orientation ignored as the detector ignores it. */
    public static BufferedImage decode(byte[] bytes, String what) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(what + " cannot be decoded: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException(what + " is not a picture ImageIO can read (" + bytes.length + " bytes)");
        }
        return image;
    }

    /** The box's crop of a blob's picture. */
    public BufferedImage crop(BlobRef blob, BoundingBox box) throws IOException {
        return crop(image(blob), box);
    }

    /** The box, widened by the margin and kept inside the picture; at least one pixel each way. */
    public BufferedImage crop(BufferedImage image, BoundingBox box) {
        return clipped.crop(image, box.getX(), box.getY(), box.getWidth(), box.getHeight());
    }
}
