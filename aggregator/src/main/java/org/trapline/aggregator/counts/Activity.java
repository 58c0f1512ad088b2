package org.trapline.aggregator.counts;

/**
 * A site's activity rhythm for one species (or every species): sightings and independent events by hour
 * of the day, in the site's time zone; index 0 is 00:00–00:59.
 */
public record Activity(long[] sightings, long[] events) {

    public static Activity empty() {
        return new Activity(new long[24], new long[24]);
    }

    /** Nothing by any hour (every sighting it had was corrected away). */
    boolean none() {
        return java.util.Arrays.stream(sightings).allMatch(n -> n == 0) && java.util.Arrays.stream(events).allMatch(n -> n == 0);
    }

    Activity plus(int hour, long sightings, long events) {
        long[] s = this.sightings.clone();
        long[] e = this.events.clone();
        s[hour] += sightings;
        e[hour] += events;
        return new Activity(s, e);
    }
}
