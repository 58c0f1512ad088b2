package org.trapline.aggregator.counts;

import java.util.List;

/**
 * The consecutive-detection rule ecologists count independent events by: at one camera, a detection
 * starts an event when the one before it (in capture time) is at least the independence interval older,
 * or when there is none before it.
 */
public final class IndependentEvents {

    private IndependentEvents() {
    }

    /** Whether a detection at {@code time} starts an event after one at {@code previous} (null: none before). */
    static boolean starts(Long previous, long time, long intervalMillis) {
        return previous == null || time - previous >= intervalMillis;
    }

    /** The capture times that start an event, of one camera's capture times, sorted. */
    public static List<Long> startTimes(List<Long> sortedTimes, long intervalMillis) {
        List<Long> starts = new java.util.ArrayList<>();
        Long previous = null;
        for (long time : sortedTimes) {
            if (starts(previous, time, intervalMillis)) {
                starts.add(time);
            }
            previous = time;
        }
        return starts;
    }

    /** The events in one camera's capture times, sorted. */
    static long count(List<Long> sortedTimes, long intervalMillis) {
        return startTimes(sortedTimes, intervalMillis).size();
    }
}
