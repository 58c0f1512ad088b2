package org.trapline.identifier.sequence;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.trapline.schema.CameraSequence;

/**
 * Groups a camera's frames into events (sequences, bursts): a frame closer than the gap to the camera's
 * previous frame joins its event, otherwise it opens a new one, as MegaDetector and Wildlife Insights do
 * (default 60 s). The event id names the camera and the first frame's time, so it reads well and is the
 * same when a batch is processed again.
 */
public final class Sequencer {

    private final Duration gap;
    private final Map<String, CameraSequence> open = new HashMap<>();

    public Sequencer(Duration gap) {
        this.gap = gap;
    }

    /** Takes a camera's open event as it was kept (on start). */
    public void restore(CameraSequence sequence) {
        open.put(sequence.getCameraId(), sequence);
    }

    public void clear() {
        open.clear();
    }

    /** The event a frame belongs to, the camera's open event updated to include it. */
    public CameraSequence next(String cameraId, Instant captureTime) {
        CameraSequence current = open.get(cameraId);
        CameraSequence next;
        if (current != null && within(current, captureTime)) {
            // frames of one camera come in order; one from an SD card read out of order still joins when close
            next = CameraSequence.newBuilder(current)
                    .setFirstCaptureTime(min(current.getFirstCaptureTime(), captureTime))
                    .setLastCaptureTime(max(current.getLastCaptureTime(), captureTime))
                    .setFrames(current.getFrames() + 1)
                    .build();
        } else {
            next = new CameraSequence(cameraId, eventId(cameraId, captureTime), captureTime, captureTime, 1);
        }
        open.put(cameraId, next);
        return next;
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
