package org.trapline.detector.image;

import java.util.Optional;

/**
 * An image's size read from its header alone (a JPEG's start-of-frame segment, a PNG's IHDR chunk), so
 * that the decoder can choose how far to reduce it before decoding any pixel.
 */
public record ImageSize(int width, int height, boolean jpeg) {

    public static Optional<ImageSize> of(byte[] bytes) {
        if (bytes.length >= 24 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[12] == 'I' && bytes[13] == 'H' && bytes[14] == 'D' && bytes[15] == 'R') {
            return positive(int32(bytes, 16), int32(bytes, 20), false);
        }
        if (bytes.length < 4 || (bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != 0xd8) {
            return Optional.empty();
        }
        int i = 2;
        while (i + 3 < bytes.length) {
            if ((bytes[i] & 0xff) != 0xff) {
                return Optional.empty();  // not at a marker: a malformed header
            }
            int marker = bytes[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;  // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2;  // markers without a length
                continue;
            }
            if (marker == 0xd9 || marker == 0xda) {
                return Optional.empty();  // end of image or start of scan before any frame header
            }
            int length = uint16(bytes, i + 2);
            boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (startOfFrame) {
                if (i + 8 >= bytes.length) {
                    return Optional.empty();
                }
                return positive(uint16(bytes, i + 7), uint16(bytes, i + 5), true);
            }
            if (length < 2) {
                return Optional.empty();
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    private static Optional<ImageSize> positive(long width, long height, boolean jpeg) {
        return width > 0 && height > 0 && width <= Integer.MAX_VALUE && height <= Integer.MAX_VALUE
                ? Optional.of(new ImageSize((int) width, (int) height, jpeg)) : Optional.empty();
    }

    private static int uint16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static long int32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
