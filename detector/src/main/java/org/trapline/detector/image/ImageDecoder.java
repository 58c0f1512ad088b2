package org.trapline.detector.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes frames' images (JPEG, PNG) into BGR pictures through OpenCV, whose libjpeg-turbo decodes a
 * JPEG about twice as fast as the JDK's ImageIO on these machines, and can decode it straight to a half,
 * a quarter or an eighth of its size by scaling in the DCT domain, which costs a fraction of a full
 * decode. The detector only needs a picture as large as the network's input: a 2000 × 1500 camera-trap
 * image letterboxed into 640 is decoded at 1000 × 750, never larger than needed but never smaller than
 * the network reads, and smoothed by the reduction rather than aliased by a bilinear draw from full size.
 *
 * <p>EXIF orientation is ignored, as ImageIO ignores it: every Trapline service reads a frame's pixels in
 * their stored order, so normalised boxes and redacted copies line up with what the others decode.
 * Alpha is dropped (as MegaDetector's PIL {@code convert("RGB")} does).
 */
public final class ImageDecoder {

    private static final int KEEP_AS_STORED = IMREAD_IGNORE_ORIENTATION;

    private final int networkSize;

    /** @param networkSize the network's square input side; 0 decodes every image whole */
    private ImageDecoder(int networkSize) {
        this.networkSize = networkSize;
    }

    /** Decodes pictures no larger than needed for a network with a square input of {@code size}. */
    public static ImageDecoder forNetwork(int size) {
        return new ImageDecoder(size);
    }

    /** Decodes pictures whole (a redacted copy keeps the original's size). */
    public static ImageDecoder whole() {
        return new ImageDecoder(0);
    }

    /** The picture as TYPE_3BYTE_BGR, or empty when the bytes are not a picture OpenCV can read. */
    public Optional<BufferedImage> decode(byte[] bytes) {
        return decodeMat(bytes).map(decoded -> {
            try (decoded) {
                BufferedImage image = new BufferedImage(decoded.cols(), decoded.rows(), BufferedImage.TYPE_3BYTE_BGR);
                decoded.data().get(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
                return image;
            }
        });
    }

    /**
     * The picture as an OpenCV matrix of BGR bytes (continuous, native memory: the caller closes it), or
     * empty when the bytes are not a picture OpenCV can read. What the detector letterboxes without
     * copying the whole picture into the Java heap.
     */
    public Optional<Mat> decodeMat(byte[] bytes) {
        if (bytes.length == 0) {
            return Optional.empty();
        }
        int flags = reduction(ImageSize.of(bytes).orElse(null)) | KEEP_AS_STORED;
        Mat decoded;
        try (BytePointer data = new BytePointer(bytes); Mat encoded = new Mat(1, bytes.length, opencv_core.CV_8UC1, data)) {
            decoded = imdecode(encoded, flags);
        } catch (RuntimeException e) {
            return Optional.empty();  // OpenCV reports some corrupt streams by throwing
        }
        if (decoded.empty() || decoded.type() != opencv_core.CV_8UC3 || !decoded.isContinuous()) {
            decoded.close();
            return Optional.empty();
        }
        return Optional.of(decoded);
    }

    /** The largest DCT reduction (JPEG only) that leaves the picture at least as large as the network reads it. */
    int reduction(ImageSize size) {
        if (networkSize <= 0 || size == null || !size.jpeg()) {
            return IMREAD_COLOR;
        }
        double shrink = Math.max((double) size.width() / networkSize, (double) size.height() / networkSize);
        if (shrink >= 8) {
            return IMREAD_REDUCED_COLOR_8;
        }
        if (shrink >= 4) {
            return IMREAD_REDUCED_COLOR_4;
        }
        if (shrink >= 2) {
            return IMREAD_REDUCED_COLOR_2;
        }
        return IMREAD_COLOR;
    }
}
