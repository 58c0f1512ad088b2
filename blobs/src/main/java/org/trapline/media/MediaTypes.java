package org.trapline.media;

/** Media types told from the first bytes of a file (its signature), as a gateway's word is not proof. */
public final class MediaTypes {

    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";
    public static final String MP4 = "video/mp4";
    public static final String AVI = "video/x-msvideo";
    public static final String UNKNOWN = "application/octet-stream";

    private MediaTypes() {
    }

    public static String sniff(byte[] b) {
        if (startsWith(b, 0, 0xff, 0xd8, 0xff)) {
            return JPEG;
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return PNG;
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return MP4;  // ISO base media: MP4, MOV, 3GP
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'A', 'V', 'I', ' ')) {
            return AVI;
        }
        return UNKNOWN;
    }

    public static boolean isVideo(String mediaType) {
        return mediaType.startsWith("video/");
    }

    /** For error messages: the type, or the first bytes when it is unknown. */
    static String describe(String mediaType, byte[] bytes) {
        if (!mediaType.equals(UNKNOWN)) {
            return mediaType;
        }
        StringBuilder hex = new StringBuilder("unknown type, starting 0x");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i]));
        }
        return bytes.length == 0 ? "empty file" : hex.toString();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xff) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
