package org.trapline.aggregator.counts;

import java.util.HexFormat;

/**
 * Keys of the aggregator's stores: parts joined by NUL, so that one site's (or one camera's) entries lie
 * together and a prefix scan finds exactly them, and times written so that their byte order is their
 * time order. Site, camera and species names may hold any other character.
 */
public final class Keys {

    static final char SEPARATOR = '\u0000';
    /** Stands for "every species" where a key has a species part. */
    public static final String ALL_SPECIES = "";

    private Keys() {
    }

    public static String of(String... parts) {
        return String.join(String.valueOf(SEPARATOR), parts);
    }

    /** Everything under these parts: {@code prefix(site)} finds all of a site's entries and no other site's. */
    public static String prefix(String... parts) {
        return of(parts) + SEPARATOR;
    }

    /** The smallest key after every key that starts with {@code prefix} (which ends with the separator). */
    public static String endOf(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (SEPARATOR + 1);
    }

    /** A time in milliseconds as 16 hex digits, sign bit flipped, so that string order is time order. */
    public static String time(long epochMillis) {
        return HexFormat.of().toHexDigits(epochMillis ^ Long.MIN_VALUE);
    }

    public static long time(String encoded) {
        return HexFormat.fromHexDigitsToLong(encoded) ^ Long.MIN_VALUE;
    }

    /** The parts of a key. */
    public static String[] split(String key) {
        return key.split(String.valueOf(SEPARATOR), -1);
    }
}
