package org.trapline.ingest.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.catalog.Camera;
import org.trapline.ingest.frames.CaptureTime;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.frames.Rejection;
import org.trapline.media.MediaTypes;
import org.trapline.schema.CaptureTimeSource;
import org.trapline.schema.VideoFrameSource;

/**
 * A video clip into frames: sampled whole first, by {@link VideoSampler}'s rule, its end included (nothing
 * is kept of a clip that cannot be decoded), the clip's bytes stored as evidence, then each sampled frame
 * sent down the same path as an uploaded image, with its clip id, frame number and time in the clip. A
 * frame's capture time is the clip's start (the camera's creation time, corrected for its clock, else the
 * gateway's, else the time received) plus its time in the clip.
 */
public final class ClipIngestor {

    /** What became of a clip. */
    public record Result(String clipId, String sha256, List<FrameIngestor.Result> frames, boolean duplicate) {
    }

    private final FrameIngestor frames;
    private final BlobStore blobs;
    private final Clock clock;
    private final long maxClipBytes;

    public ClipIngestor(FrameIngestor frames, BlobStore blobs, Clock clock, long maxClipBytes) {
        this.frames = frames;
        this.blobs = blobs;
        this.clock = clock;
        this.maxClipBytes = maxClipBytes;
    }

    public Result ingest(String cameraId, String siteId, byte[] clip, String fileName, Optional<Instant> gatewayTime,
                         double framesPerSecond) throws Rejection, IOException {
        Camera camera = frames.camera(cameraId, siteId);
        if (clip.length > maxClipBytes) {
            throw new Rejection(Rejection.Kind.TOO_LARGE, "clip of " + clip.length + " bytes exceeds the limit of "
                    + maxClipBytes + " bytes (ingest.max.clip.bytes)");
        }
        String mediaType = MediaTypes.sniff(clip);
        if (!MediaTypes.isVideo(mediaType)) {
            throw new Rejection(Rejection.Kind.UNSUPPORTED_MEDIA, "not a video Trapline reads (MP4, MOV or AVI): "
                    + (MediaTypes.UNKNOWN.equals(mediaType) ? "unknown type" : mediaType));
        }
        String sha256 = BlobKeys.sha256(clip);
        String clipId = UUID.nameUUIDFromBytes((camera.id() + "/clip/" + sha256).getBytes(StandardCharsets.UTF_8)).toString();
        boolean seenBefore = blobs.exists(clipKey(camera.id(), sha256));

        VideoSampler.Clip sampled = VideoSampler.sample(clip, framesPerSecond, "clip " + sha256.substring(0, 12)
                + (fileName == null ? "" : " (" + fileName + ")") + " from camera " + camera.id());
        CaptureTime start = sampled.createdAt()
                .map(t -> new CaptureTime(t.minusSeconds(camera.clockOffsetSeconds()), CaptureTimeSource.VIDEO_METADATA))
                .or(() -> gatewayTime.map(t -> new CaptureTime(t, CaptureTimeSource.GATEWAY)))
                .orElseGet(() -> new CaptureTime(clock.instant(), CaptureTimeSource.RECEIVED));
        blobs.put(BlobKeys.content(sha256), clip);

        List<FrameIngestor.Result> results = new ArrayList<>();
        for (VideoSampler.SampledFrame frame : sampled.frames()) {
            VideoFrameSource source = new VideoFrameSource(clipId, frame.frameNumber(), frame.frameTimeMillis());
            CaptureTime at = new CaptureTime(start.time().plusMillis(frame.frameTimeMillis()), start.source());
            results.add(frames.ingest(new FrameIngestor.Upload(camera.id(), siteId, frame.jpeg(),
                    fileName == null ? null : fileName + "#" + frame.frameNumber(), gatewayTime, source, at)));
        }
        blobs.put(clipKey(camera.id(), sha256), clipId.getBytes(StandardCharsets.UTF_8));
        return new Result(clipId, sha256, List.copyOf(results), seenBefore && results.stream().allMatch(FrameIngestor.Result::duplicate));
    }

    /** Whether this camera has sent this clip before. */
    public boolean alreadyIn(String cameraId, String sha256) throws IOException {
        return blobs.exists(clipKey(cameraId, sha256));
    }

    private static String clipKey(String cameraId, String sha256) {
        return BlobKeys.of("clips", cameraId, sha256);
    }
}
