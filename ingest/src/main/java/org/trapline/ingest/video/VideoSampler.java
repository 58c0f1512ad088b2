package org.trapline.ingest.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.blob.JpegEncoder;
import org.trapline.ingest.frames.Rejection;

/**
 * Samples a video clip into still frames with FFmpeg (through JavaCV), each encoded as a JPEG. The whole
 * clip is decoded before anything is kept, so a clip that cannot be decoded, or stops well before the
 * length its container declares, is refused whole.
 *
 * <p>The rule, over the clip's own time (which starts at its first picture): sample {@code k} is the
 * first picture shown at or after {@code k/fps} seconds, for every {@code k} the clip reaches (at 1 fps
 * on a 6.2 s clip: 0, 1, … 6 s); and the clip's last picture is taken too when it lies at least half an
 * interval ({@code 0.5/fps}) after the last sample. So the end left unsampled is always shorter than half
 * an interval, less than any gap between two samples. Half is where the last picture lies nearer the
 * sample time the clip stops short of than the sample it had; a last picture closer to the sample before
 * it shows next to nothing new and does not cost the detector another frame.
 *
 * <p>A frame's number is its place among the clip's pictures (0 the first), counted as they are decoded,
 * and its time is its presentation time less the first picture's. Neither is taken from the grabber's
 * estimates: these assume the stream starts at 0 and that every picture carries a timestamp, which is
 * not so in AVI with B-frames (the times guessed from decoding order run one picture late, and the last
 * picture, handed back when the decoder is drained, has none) nor in fragmented MP4 with B-frames (every
 * time shifted by the reordering delay). A picture without a usable time is one frame period after the
 * one before it.
 */
public final class VideoSampler {

    private static final Logger log = LoggerFactory.getLogger(VideoSampler.class);

    /** One sampled frame. */
    public record SampledFrame(int frameNumber, long frameTimeMillis, byte[] jpeg) {
    }

    /** The frames of a clip, and what its container says about it. */
    public record Clip(List<SampledFrame> frames, long durationMillis, Optional<Instant> createdAt, String format) {
    }

    /**
     * Why a clip FFmpeg cannot open is refused, in words a person can act on; FFmpeg's own words (function
     * names, error codes, the input stream's object identity) go to the log.
     */
    static final String CANNOT_OPEN = "video cannot be opened: the clip is truncated, or is not a video "
            + "MP4, MOV or AVI can hold";

    static {
        // FFmpeg's own console chatter would flood the service's log; its errors go to this class's log
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        FfmpegLog.install();
    }

    private VideoSampler() {
    }

    public static Clip sample(byte[] clip, double framesPerSecond) throws Rejection {
        return sample(clip, framesPerSecond, "clip of " + clip.length + " bytes");
    }

    /** As {@link #sample(byte[], double)}; {@code what} names the clip in the log when it is refused. */
    public static Clip sample(byte[] clip, double framesPerSecond, String what) throws Rejection {
        if (framesPerSecond <= 0 || framesPerSecond > 60) {
            throw new Rejection(Rejection.Kind.BAD_REQUEST, "fps must be above 0 and at most 60, not " + framesPerSecond);
        }
        double intervalMicros = 1_000_000 / framesPerSecond;
        List<SampledFrame> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(clip), clip.length);
             Java2DFrameConverter converter = new Java2DFrameConverter();
             Java2DFrameConverter lastPicture = new Java2DFrameConverter()) {
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                log.warn("{} refused: FFmpeg cannot open it: {}", what, e.getMessage());
                throw new Rejection(Rejection.Kind.UNPROCESSABLE, CANNOT_OPEN);
            }
            long declaredMicros = grabber.getLengthInTime();
            double frameRate = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 30;
            Timeline timeline = new Timeline(grabber, Math.round(1_000_000 / frameRate));
            int nextSample = 0;
            long lastSampledMicros = 0;
            // the latest picture while it is a candidate for the end of the clip: copied, since the grabber
            // reuses its picture for the next one, and taken only once the clip turns out to end there
            BufferedImage held = null;
            int heldNumber = 0;
            long heldMicros = 0;
            Frame frame;
            while ((frame = grab(grabber, timeline, what)) != null) {
                long at = timeline.next(frame);
                if (at >= Math.round(nextSample * intervalMicros)) {
                    BufferedImage image = converter.convert(frame);
                    frames.add(new SampledFrame(timeline.number(), at / 1000, JpegEncoder.encode(image)));
                    lastSampledMicros = at;
                    while (Math.round(nextSample * intervalMicros) <= at) {
                        nextSample++;
                    }
                    held = null;
                } else if (at - lastSampledMicros >= intervalMicros / 2) {
                    held = lastPicture.convert(frame);
                    heldNumber = timeline.number();
                    heldMicros = at;
                }
            }
            if (frames.isEmpty()) {
                throw new Rejection(Rejection.Kind.UNPROCESSABLE, "video holds no decodable picture");
            }
            long lastMicros = timeline.last();
            long slackMicros = Math.max(1_000_000, Math.round(3 * 1_000_000 / frameRate));
            if (declaredMicros > 0 && lastMicros + slackMicros < declaredMicros) {
                throw new Rejection(Rejection.Kind.UNPROCESSABLE, String.format(
                        "truncated video: pictures stop at %.1f s of the %.1f s its container declares",
                        lastMicros / 1e6, declaredMicros / 1e6));
            }
            if (held != null) {
                frames.add(new SampledFrame(heldNumber, heldMicros / 1000, JpegEncoder.encode(held)));
            }
            return new Clip(frames, Math.max(declaredMicros, lastMicros) / 1000, creationTime(grabber),
                    grabber.getFormat());
        } catch (FrameGrabber.Exception e) {
            // opening and grabbing answer for themselves: what is left is FFmpeg failing to let the clip go
            log.warn("{} refused: FFmpeg failed to close it: {}", what, e.getMessage());
            throw new Rejection(Rejection.Kind.UNPROCESSABLE, "video cannot be decoded whole");
        } catch (IOException e) {
            log.warn("{} refused: a picture of it cannot be encoded as a JPEG", what, e);
            throw new Rejection(Rejection.Kind.UNPROCESSABLE, "a picture of the video cannot be encoded as a JPEG");
        }
    }

    private static Frame grab(FFmpegFrameGrabber grabber, Timeline timeline, String what) throws Rejection {
        try {
            return grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            log.warn("{} refused: FFmpeg cannot decode it after picture {}: {}", what, timeline.number(), e.getMessage());
            throw new Rejection(Rejection.Kind.UNPROCESSABLE, String.format(
                    "video cannot be decoded after %.1f s: the clip is damaged there", Math.max(0, timeline.last()) / 1e6));
        }
    }

    /** The clip's pictures as they come out of the decoder: their number, and their time in the clip. */
    private static final class Timeline {

        private static final AVRational MICROS = avutil.av_make_q(1, 1_000_000);

        private final AVRational timeBase;
        private final FFmpegFrameGrabber grabber;
        private final long frameMicros;
        private int number = -1;
        private long origin;
        private long last = -1;

        Timeline(FFmpegFrameGrabber grabber, long frameMicros) {
            this.grabber = grabber;
            this.frameMicros = frameMicros;
            // no video stream (an audio recording): no picture will come, and the clip is refused for that
            this.timeBase = grabber.getVideoStream() < 0 ? null
                    : grabber.getFormatContext().streams(grabber.getVideoStream()).time_base();
        }

        /** The time in the clip of the picture just grabbed, in microseconds. */
        long next(Frame frame) {
            number++;
            long pts = presentationMicros(frame);
            if (number == 0) {
                origin = pts == avutil.AV_NOPTS_VALUE ? 0 : pts;
                last = 0;
            } else if (pts != avutil.AV_NOPTS_VALUE && pts - origin > last) {
                last = pts - origin;
            } else {
                // no time, or one that does not advance: the decoder gives pictures back in the order they
                // are shown, so this one is the next after the one before
                last += frameMicros;
            }
            return last;
        }

        int number() {
            return number;
        }

        /** The time of the latest picture, -1 before the first. */
        long last() {
            return last;
        }

        private long presentationMicros(Frame frame) {
            // JavaCV copies the decoded picture's properties into the frame it hands over; its own
            // timestamp turns a missing time (AV_NOPTS_VALUE) into an arbitrary number, so read it raw
            if (frame.opaque instanceof AVFrame picture && timeBase != null) {
                long pts = picture.best_effort_timestamp();
                return pts == avutil.AV_NOPTS_VALUE ? pts
                        : avutil.av_rescale_q(pts, timeBase, MICROS);
            }
            return grabber.getTimestamp();
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
