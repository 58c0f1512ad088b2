package org.trapline.identifier.sequence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.trapline.schema.CameraSequence;
import org.trapline.schema.EventVote;

/**
 * Groups a camera's frames into events (sequences, bursts): a frame closer than the gap to the camera's
 * previous frame joins its event, otherwise it opens a new one, as MegaDetector and Wildlife Insights do
 * (default 60 s). The event id names the camera and the first frame's time, so it reads well and is the
 * same when a batch is processed again. The event keeps its frames' species answers (its votes, at most
 * {@code maxVotes}, the oldest dropped beyond), so that the event's vote on one label per species spans
 * polls and restarts.
 */
public final class Sequencer {

    private final Duration gap;
    private final int maxVotes;
    private final Map<String, CameraSequence> open = new HashMap<>();

    public Sequencer(Duration gap, int maxVotes) {
        if (maxVotes < 1) {
            throw new IllegalArgumentException("an event keeps at least one vote, not " + maxVotes);
        }
        this.gap = gap;
        this.maxVotes = maxVotes;
    }

    /** Takes a camera's open event as it was kept (on start). */
    public void restore(CameraSequence sequence) {
        open.put(sequence.getCameraId(), sequence);
    }

    public void clear() {
        open.clear();
    }

    /** The event a frame belongs to, the camera's open event updated to include it and its votes. */
    public CameraSequence next(String cameraId, Instant captureTime, List<EventVote> votes) {
        CameraSequence current = open.get(cameraId);
        CameraSequence next;
        if (current != null && within(current, captureTime)) {
            // frames of one camera come in order; one from an SD card read out of order still joins when close
            next = CameraSequence.newBuilder(current)
                    .setFirstCaptureTime(min(current.getFirstCaptureTime(), captureTime))
                    .setLastCaptureTime(max(current.getLastCaptureTime(), captureTime))
                    .setFrames(current.getFrames() + 1)
                    .setVotes(kept(current.getVotes(), votes))
                    .build();
        } else {
            next = new CameraSequence(cameraId, eventId(cameraId, captureTime), captureTime, captureTime, 1, kept(List.of(), votes));
        }
        open.put(cameraId, next);
        return next;
    }

    private List<EventVote> kept(List<EventVote> before, List<EventVote> added) {
        List<EventVote> all = new ArrayList<>(before);
        all.addAll(added);
        return all.size() <= maxVotes ? all : List.copyOf(all.subList(all.size() - maxVotes, all.size()));
    }

    private boolean within(CameraSequence sequence, Instant time) {
        return !time.isBefore(sequence.getFirstCaptureTime().minus(gap)) && !time.isAfter(sequence.getLastCaptureTime().plus(gap));
    }

    public static String eventId(String cameraId, Instant firstCaptureTime) {
        return cameraId + "@" + firstCaptureTime;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
