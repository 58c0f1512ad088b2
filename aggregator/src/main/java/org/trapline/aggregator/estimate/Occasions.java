package org.trapline.aggregator.estimate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A survey period {@code [from, to)} cut into sampling occasions, the columns of a detection history.
 *
 * <p>Occasion 1 starts at {@code from}; each lasts {@code length}; the last one ends at {@code to}, so it is
 * shorter when the period is not a whole number of occasions (its effort shows it). Every occasion is
 * half-open, start inclusive, end exclusive: a detection exactly at an occasion's start belongs to that
 * occasion, not to the one before.
 *
 * <p>When {@code length} is a whole number of days, occasions are counted in calendar days of {@code zone}:
 * occasion k starts at {@code from} plus k·days at the same local time of day, so occasions that start at
 * local midnight stay at local midnight across a daylight-saving change (that occasion lasts 23 or 25
 * hours). Give {@code from} at local midnight, e.g. {@code 2026-03-01T00:00:00+02:00}, to have days as
 * ecologists' field sheets have them. Any other length (e.g. 12 hours) is a fixed duration on the time line,
 * and the zone plays no part. With {@link java.time.ZoneOffset#UTC} both are the same.
 *
 * @param from   start of occasion 1, inclusive
 * @param to     end of the last occasion, exclusive
 * @param length occasion length, e.g. {@code Duration.ofDays(1)} or {@code Duration.ofDays(7)}
 * @param zone   the zone whose calendar days whole-day occasions follow
 */
public record Occasions(Instant from, Instant to, Duration length, ZoneId zone) {

    /** More columns than any survey needs; a guard against, say, one-minute occasions over a year. */
    public static final int MAX_OCCASIONS = 10_000;

    private static final Duration DAY = Duration.ofDays(1);

    public Occasions {
        if (from == null || to == null || length == null || zone == null) {
            throw new IllegalArgumentException("occasions need from, to, length and zone");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a survey must start before it ends: " + from + " / " + to);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("an occasion must last some time, not " + length);
        }
        long estimate = Duration.between(from, to).dividedBy(length);
        if (estimate >= MAX_OCCASIONS) {
            throw new IllegalArgumentException("a survey from " + from + " to " + to + " in occasions of " + length
                    + " has more than " + MAX_OCCASIONS + " occasions");
        }
    }

    /** Occasions of {@code length} in UTC. */
    public static Occasions of(Instant from, Instant to, Duration length) {
        return new Occasions(from, to, length, java.time.ZoneOffset.UTC);
    }

    /** Whether occasions follow calendar days of the zone (the length is a whole number of days). */
    public boolean calendarDays() {
        return length.toNanos() % DAY.toNanos() == 0;
    }

    /**
     * The occasions' boundaries: start of occasion 1, start of occasion 2, ..., end of the last occasion
     * ({@code to}); one more than {@link #count()}.
     */
    public List<Instant> boundaries() {
        List<Instant> boundaries = new ArrayList<>();
        ZonedDateTime localFrom = from.atZone(zone);
        long days = length.toDays();
        for (long k = 0; ; k++) {
            Instant start = calendarDays() ? localFrom.plusDays(k * days).toInstant() : from.plus(length.multipliedBy(k));
            if (!start.isBefore(to)) {
                break;
            }
            boundaries.add(start);
        }
        boundaries.add(to);
        return Collections.unmodifiableList(boundaries);
    }

    /** The number of occasions. */
    public int count() {
        return boundaries().size() - 1;
    }

    /**
     * The occasion (0 for occasion 1) that {@code time} falls in, given the {@link #boundaries()}; −1 when
     * it is outside {@code [from, to)}.
     */
    static int indexOf(List<Instant> boundaries, Instant time) {
        if (time.isBefore(boundaries.get(0)) || !time.isBefore(boundaries.get(boundaries.size() - 1))) {
            return -1;
        }
        int found = Collections.binarySearch(boundaries, time);
        // on a boundary: that occasion starts there; between two: the insertion point is the next boundary
        return found >= 0 ? found : -found - 2;
    }
}
