package org.trapline.ingest.media;

/** Sample images damaged on purpose, the way real cards and gateways damage them. */
public final class TestImages {

    private TestImages() {
    }

    /** The image with its EXIF block's byte-order mark destroyed: the picture decodes, its metadata does not. */
    public static byte[] withBrokenExif(byte[] jpeg) {
        byte[] broken = jpeg.clone();
        for (int i = 0; i < Math.min(broken.length - 10, 65536); i++) {
            if (broken[i] == 'E' && broken[i + 1] == 'x' && broken[i + 2] == 'i' && broken[i + 3] == 'f'
                    && broken[i + 4] == 0 && broken[i + 5] == 0) {
                broken[i + 6] = 'X';
                broken[i + 7] = 'X';
                return broken;
            }
        }
        throw new AssertionError("no EXIF block in the sample");
    }
}
