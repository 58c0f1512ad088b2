package org.trapline.ingest.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;


import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.trapline.blob.JpegEncoder;
import org.trapline.ingest.frames.Rejection;

/**
 * Samples a video clip into still frames with FFmpeg (through JavaCV): one frame per {@code 1/fps}
 * seconds of the clip's own time, each encoded as a JPEG. The whole clip is decoded before anything is
 * kept, so a clip that cannot be decoded, or stops well before the length its container declares, is
 * refused whole.
 */
public final class VideoSampler {

    /** One sampled frame. */
    public record SampledFrame(int frameNumber, long frameTimeMillis, byte[] jpeg) {
    }

    /** The frames of a clip, and what its container says about it. */
    public record Clip(List<SampledFrame> frames, long durationMillis, Optional<Instant> createdAt, String format) {
    }

    static {
        // FFmpeg's own console chatter would flood the service's log
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FFmpegLogCallback.set();
    }

    private VideoSampler() {
    }

    public static Clip sample(byte[] clip, double framesPerSecond) throws Rejection {
        if (framesPerSecond <= 0 || framesPerSecond > 60) {
            throw new Rejection(Rejection.Kind.BAD_REQUEST, "fps must be above 0 and at most 60, not " + framesPerSecond);
        }
        long intervalMicros = Math.round(1_000_000 / framesPerSecond);
        List<SampledFrame> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(clip), clip.length);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            long declaredMicros = grabber.getLengthInTime();
            long nextMicros = 0;
            long lastMicros = -1;
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                long at = grabber.getTimestamp();
                lastMicros = Math.max(lastMicros, at);
                if (at >= nextMicros) {
                    BufferedImage image = converter.convert(frame);
                    frames.add(new SampledFrame(grabber.getFrameNumber(), at / 1000, JpegEncoder.encode(image)));
                    while (nextMicros <= at) {
                        nextMicros += intervalMicros;
                    }
                }
            }
            if (frames.isEmpty()) {
                throw new Rejection(Rejection.Kind.UNPROCESSABLE, "video holds no decodable picture");
            }
            double frameRate = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 30;
            long slackMicros = Math.max(1_000_000, Math.round(3 * 1_000_000 / frameRate));
            if (declaredMicros > 0 && lastMicros + slackMicros < declaredMicros) {
                throw new Rejection(Rejection.Kind.UNPROCESSABLE, String.format(
                        "truncated video: pictures stop at %.1f s of the %.1f s its container declares",
                        lastMicros / 1e6, declaredMicros / 1e6));
            }
            return new Clip(frames, Math.max(declaredMicros, lastMicros) / 1000, creationTime(grabber),
                    grabber.getFormat());
        } catch (FrameGrabber.Exception e) {
            throw new Rejection(Rejection.Kind.UNPROCESSABLE, "video cannot be decoded: " + e.getMessage());
        } catch (IOException e) {
            throw new Rejection(Rejection.Kind.UNPROCESSABLE, "video frame cannot be encoded: " + e.getMessage());
        }
    }

    /** The clip's creation time as the camera wrote it into the container, if it did. */
    private static Optional<Instant> creationTime(FFmpegFrameGrabber grabber) {
        String value = grabber.getMetadata("creation_time");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            Instant created = Instant.parse(value);
            // muxers write the epoch (or 1904) when the camera had no clock: no time at all
            return created.isAfter(Instant.parse("1990-01-01T00:00:00Z")) ? Optional.of(created) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
