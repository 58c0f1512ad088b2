package org.trapline.aggregator.counts;

/**
 * How many sightings of one individual a site's window (and species) holds: on a capture session's
 * first and second occasion; other windows use {@code first} only.
 */
public record Presence(long first, long second) {

    public static final Presence NONE = new Presence(0, 0);

    Presence plus(int occasion, long delta) {
        return occasion == 2 ? new Presence(first, second + delta) : new Presence(first + delta, second);
    }

    boolean seen() {
        return first > 0 || second > 0;
    }

    boolean seenFirst() {
        return first > 0;
    }

    boolean seenSecond() {
        return second > 0;
    }

    boolean seenBoth() {
        return first > 0 && second > 0;
    }
}
