package org.trapline.blob;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The keys Trapline stores blobs under. Content is addressed by its SHA-256; every key is checked
 * against one strict pattern, so no caller can reach outside the store ("..", absolute paths, odd
 * characters).
 */
public final class BlobKeys {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private BlobKeys() {
    }

    /** {@code sha256/ab/abcdef…}: two-character fan-out keeps directories small. */
    public static String content(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return "sha256/" + sha256.substring(0, 2) + "/" + sha256;
    }

    /** A key for a record that ingest keeps beside the blobs (for example which frames are in). */
    public static String of(String... segments) {
        String key = String.join("/", segments);
        check(key);
        return key;
    }

    /** Fails unless every segment of the key is a safe name. */
    public static String check(String key) {
        String[] segments = key.split("/", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("unsafe blob key '" + key + "'");
            }
        }
        return key;
    }

    /** Lower-case hex SHA-256 of the bytes: the address of content. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
