package org.trapline.aggregator.counts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One site's independent events, per camera and species, each with its <b>MaxN</b>: the most animals of the
 * species on one frame of the event, the count ecologists give an event of animals that cannot be told apart
 * (Camtrap DP's event-level {@code count}; Agouti and AddaxAI count the same way). A herd of five crossing
 * in front of the camera over ten frames is five animals, not fifty boxes.
 *
 * <p>Three stores hold it: every detection's capture time (sorted, per camera and species: the events'
 * boundaries follow the consecutive-detection rule of {@link IndependentEvents}); every event's first
 * detection with its MaxN; and the animals of each frame (its boxes of the species). Detections may arrive
 * in any order. One that arrives joins the event before it, or starts one of its own; either way it may
 * bridge the gap to the next event, which then stops being an event of its own and lends its MaxN to the
 * one it joins. Adding a detection never splits an event, so MaxN only grows. Taking one away (a reviewer
 * removed the box, renamed its species or recounted it) may split its event or lower its MaxN: that event
 * alone is regrouped from the detections it had, which the stores keep.
 *
 * <p>Finding the event a detection joins takes one look backwards among the events' first detections, not
 * a walk over the event, so a long event (a cow that stands all day in front of a camera) costs no more.
 */
final class EventGroups {

    /**
     * A change to count at an event's first detection ({@code startKey}, a key of the capture-time store):
     * events starting there (1, or -1 when it no longer starts one) and the change of the animals counted.
     */
    record Change(String startKey, long events, long animals) {
    }

    private final KeyValueStore<String, String> times;
    private final KeyValueStore<String, Long> starts;
    private final KeyValueStore<String, Long> frameAnimals;
    private final long intervalMillis;

    EventGroups(KeyValueStore<String, String> times, KeyValueStore<String, Long> starts,
                KeyValueStore<String, Long> frameAnimals, long intervalMillis) {
        this.times = times;
        this.starts = starts;
        this.frameAnimals = frameAnimals;
        this.intervalMillis = intervalMillis;
    }

    /** The key of a detection in the capture-time store; its first detection's key names an event. */
    static String detectionKey(String site, SightingFacts f) {
        return Keys.prefix(site, f.cameraId(), f.species()) + Keys.time(f.time()) + Keys.SEPARATOR + f.sightingId();
    }

    static long timeOf(String detectionKey) {
        return Keys.time(Keys.split(detectionKey)[3]);
    }

    static String sightingIdOf(String detectionKey) {
        return Keys.split(detectionKey)[4];
    }

    /** Files a new detection (each sighting once) and says what changed, event by event. */
    List<Change> add(String site, SightingFacts f) {
        String prefix = Keys.prefix(site, f.cameraId(), f.species());
        String key = detectionKey(site, f);
        String before = first(times.reverseRange(prefix, key));
        String after = first(times.range(key, Keys.endOf(prefix)));
        times.put(key, "");
        long onItsFrame = addToFrame(frameKey(site, f), f.animals());

        Long previous = before == null ? null : timeOf(before);
        // the detection before is no later, so if the next one is far enough from this one to start an event,
        // it was far enough from the one before too: an arrival ends an event of its own, never begins one
        boolean bridgesToNext = after != null && IndependentEvents.starts(previous, timeOf(after), intervalMillis)
                && !IndependentEvents.starts(f.time(), timeOf(after), intervalMillis);
        long nextMaxN = 0;
        List<Change> changes = new ArrayList<>();
        if (bridgesToNext) {
            nextMaxN = maxNOf(after);
            starts.delete(after);
            changes.add(new Change(after, -1, -nextMaxN));
        }
        if (IndependentEvents.starts(previous, f.time(), intervalMillis)) {
            long maxN = Math.max(onItsFrame, nextMaxN);
            starts.put(key, maxN);
            changes.add(new Change(key, 1, maxN));
        } else {
            String start = first(starts.reverseRange(prefix, key));
            long was = maxNOf(start);
            long maxN = Math.max(was, Math.max(onItsFrame, nextMaxN));
            if (maxN != was) {
                starts.put(start, maxN);
                changes.add(new Change(start, 0, maxN - was));
            }
        }
        return changes;
    }

    /**
     * Takes a detection filed by {@link #add} away again and says what changed: its event ends, and what is
     * left of it (if anything) is grouped again by the same rule, each group an event with its own MaxN.
     * Removing a detection only widens gaps, so no event before or after it is touched.
     *
     * @param frameOf the frame of a detection, by its key (its sighting is still counted when asked)
     */
    List<Change> remove(String site, SightingFacts f, Function<String, String> frameOf) {
        String prefix = Keys.prefix(site, f.cameraId(), f.species());
        String key = detectionKey(site, f);
        String start = first(starts.reverseRange(prefix, key));
        if (start == null || times.get(key) == null) {
            throw new IllegalStateException("detection " + key + " was never filed, so it cannot be taken away");
        }
        String nextStart = null;
        try (KeyValueIterator<String, Long> later = starts.range(key, Keys.endOf(prefix))) {
            while (later.hasNext() && nextStart == null) {
                String candidate = later.next().key;
                if (!candidate.equals(key)) {
                    nextStart = candidate;
                }
            }
        }
        List<Change> changes = new ArrayList<>();
        changes.add(new Change(start, -1, -maxNOf(start)));
        starts.delete(start);
        times.delete(key);
        removeFromFrame(frameKey(site, f), f.animals());

        // what is left of the event, from its first detection up to the next event's
        String groupStart = null;
        long groupMaxN = 0;
        Long previous = null;
        List<String> left = new ArrayList<>();
        try (KeyValueIterator<String, String> detections = times.range(start, nextStart == null ? Keys.endOf(prefix) : nextStart)) {
            while (detections.hasNext()) {
                String d = detections.next().key;
                if (!d.equals(nextStart)) {
                    left.add(d);
                }
            }
        }
        for (String d : left) {
            long time = timeOf(d);
            if (IndependentEvents.starts(previous, time, intervalMillis)) {
                if (groupStart != null) {
                    changes.add(newEvent(groupStart, groupMaxN));
                }
                groupStart = d;
                groupMaxN = 0;
            }
            String frame = Keys.of(site, f.cameraId(), f.species(), frameOf.apply(d));
            groupMaxN = Math.max(groupMaxN, Objects.requireNonNullElse(frameAnimals.get(frame), 0L));
            previous = time;
        }
        if (groupStart != null) {
            changes.add(newEvent(groupStart, groupMaxN));
        }
        return changes;
    }

    private Change newEvent(String start, long maxN) {
        starts.put(start, maxN);
        return new Change(start, 1, maxN);
    }

    private static String frameKey(String site, SightingFacts f) {
        return Keys.of(site, f.cameraId(), f.species(), f.frameId());
    }

    /** Every event start has a MaxN; one missing would count its animals wrongly, so it is an error, not 0. */
    private long maxNOf(String start) {
        Long maxN = start == null ? null : starts.get(start);
        if (maxN == null) {
            throw new IllegalStateException("no MaxN stored for the event that starts at " + start);
        }
        return maxN;
    }

    private long addToFrame(String frameKey, int animals) {
        long onFrame = Objects.requireNonNullElse(frameAnimals.get(frameKey), 0L) + animals;
        frameAnimals.put(frameKey, onFrame);
        return onFrame;
    }

    private void removeFromFrame(String frameKey, int animals) {
        long onFrame = Objects.requireNonNullElse(frameAnimals.get(frameKey), 0L) - animals;
        if (onFrame > 0) {
            frameAnimals.put(frameKey, onFrame);
        } else {
            frameAnimals.delete(frameKey);
        }
    }

    private static <V> String first(KeyValueIterator<String, V> iterator) {
        try (iterator) {
            return iterator.hasNext() ? iterator.next().key : null;
        }
    }
}
