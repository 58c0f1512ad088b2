package org.trapline.ingest.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.trapline.ingest.frames.Rejection;
import org.trapline.ingest.video.TestClips.Kind;
import org.trapline.localstack.samples.SharedData;

class VideoSamplerTest {

    static final Instant CREATED = Instant.parse("2024-05-01T06:00:00Z");
    static final List<Kind> CONTAINERS = List.of(Kind.MP4_MPEG4, Kind.MP4_H264, Kind.MOV_MPEG4, Kind.AVI_MPEG4_B_FRAMES);

    /** 3 s: three camera-trap pictures, one second each. */
    static byte[] clip;
    /** 6.2 s: a dog and a cat, then from 3 s a pheasant, in each container. */
    static final Map<Kind, byte[]> lateArrival = new EnumMap<>(Kind.class);

    @BeforeAll
    static void makeClips(@TempDir Path dir) throws Exception {
        Path images = SharedData.locate().images().resolve("camera-traps");
        clip = TestClips.mp4(dir, List.of(images.resolve("idaho-camera-traps.jpg"), images.resolve("nacti.jpg"),
                images.resolve("pheasant_web.jpg")), CREATED);
        for (Kind kind : CONTAINERS) {
            lateArrival.put(kind, TestClips.lateArrival(dir, kind, CREATED));
        }
    }

    @Test
    void aWholeClipIsSampledToItsLastSecond() throws Exception {
        VideoSampler.Clip sampled = VideoSampler.sample(lateArrival.get(Kind.MP4_MPEG4), 1.0);

        assertEquals(List.of(0, 10, 20, 30, 40, 50, 60), numbers(sampled), "every second of the 6.2 s, 6 s included");
        assertEquals(List.of(0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L), times(sampled));
        assertEquals(6200, sampled.durationMillis());
        assertEquals(Optional.of(CREATED), sampled.createdAt(), "the camera's creation time from the container");
        BufferedImage dogAndCat = TestClips.dogAndCat();
        BufferedImage pheasant = TestClips.pheasant();
        for (VideoSampler.SampledFrame frame : sampled.frames()) {
            BufferedImage image = picture(frame);
            assertEquals(TestClips.WIDTH, image.getWidth());
            assertEquals(TestClips.HEIGHT, image.getHeight());
            assertEquals(frame.frameNumber(), TestClips.frameNumberIn(image), "the picture is the one its number says");
            boolean showsPheasant = TestClips.difference(image, pheasant) < TestClips.difference(image, dogAndCat);
            assertEquals(frame.frameNumber() >= TestClips.LATE_ARRIVAL_PHEASANT_FROM, showsPheasant,
                    "frame " + frame.frameNumber() + " shows " + (showsPheasant ? "the pheasant" : "the dog and cat"));
        }
    }

    static Stream<Arguments> containersAndRates() {
        return CONTAINERS.stream().flatMap(kind -> Stream.of(
                // the last picture (6.1 s) lies 0.1 s after the sample at 6 s: less than half an interval
                Arguments.of(kind, 1.0, List.of(0, 10, 20, 30, 40, 50, 60)),
                // samples at k/3 s take the first picture at or after them: 1/3 s is shown by picture 4 (0.4 s);
                // 6.1 s is 0.1 s after 6 s, less than 1/6 s
                Arguments.of(kind, 3.0, List.of(0, 4, 7, 10, 14, 17, 20, 24, 27, 30, 34, 37, 40, 44, 47, 50, 54, 57, 60)),
                Arguments.of(kind, 0.5, List.of(0, 20, 40, 60)),
                // samples every 1.25 s up to 5 s; the last picture, 1.1 s later, is past half an interval: taken
                Arguments.of(kind, 0.8, List.of(0, 13, 25, 38, 50, 61))));
    }

    @ParameterizedTest(name = "{0} at {1} fps")
    @MethodSource("containersAndRates")
    void theRuleHoldsInEveryContainerAndAtEveryRate(Kind kind, double fps, List<Integer> expected) throws Exception {
        VideoSampler.Clip sampled = VideoSampler.sample(lateArrival.get(kind), fps);
        assertEquals(expected, numbers(sampled));
        assertEquals(expected.stream().map(n -> n * 1000L / TestClips.FPS).toList(), times(sampled),
                "each frame's time is its picture's, counted from the first");
        assertEquals(expected, sampled.frames().stream().map(f -> TestClips.frameNumberIn(picture(f))).toList(),
                "the pictures are the ones their numbers say");
    }

    @Test
    void theLastPictureIsTakenFromHalfAnIntervalAfterTheLastSample(@TempDir Path dir) throws Exception {
        // 5.6 s: the last picture, at 5.5 s, lies exactly half an interval after the sample at 5 s
        byte[] halfAfter = TestClips.write(dir, Kind.MP4_MPEG4, 10, TestClips.plain(56), null);
        assertEquals(List.of(0, 10, 20, 30, 40, 50, 55), numbers(VideoSampler.sample(halfAfter, 1.0)));
        assertEquals(5500L, VideoSampler.sample(halfAfter, 1.0).frames().getLast().frameTimeMillis());
        // 5.5 s: its last picture, at 5.4 s, is closer to the sample before it than half an interval
        byte[] closer = TestClips.write(dir, Kind.MP4_MPEG4, 10, TestClips.plain(55), null);
        assertEquals(List.of(0, 10, 20, 30, 40, 50), numbers(VideoSampler.sample(closer, 1.0)));
        // one picture: it is the first sample, and the last picture too, taken once
        byte[] single = TestClips.write(dir, Kind.MP4_MPEG4, 10, TestClips.plain(1), null);
        assertEquals(List.of(0), numbers(VideoSampler.sample(single, 1.0)));
    }

    @Test
    void oneFrameASecondAndTheEndOfTheLastSecond() throws Exception {
        VideoSampler.Clip sampled = VideoSampler.sample(clip, 1.0);
        assertEquals(List.of(0, 10, 20, 29), numbers(sampled), "the last picture, 0.9 s after the sample at 2 s");
        assertEquals(List.of(0L, 1000L, 2000L, 2900L), times(sampled));
        assertEquals(Optional.of(CREATED), sampled.createdAt());
    }

    @Test
    void aHigherRateTakesMoreFrames() throws Exception {
        assertEquals(10, VideoSampler.sample(clip, 3.0).frames().size(), "3 s at 3 fps, and the last picture 0.2 s on");
    }

    @Test
    void aRateOutsideWhatIsSensibleIsABadRequest() {
        for (double fps : new double[] {0, -1, 61}) {
            Rejection refused = assertThrows(Rejection.class, () -> VideoSampler.sample(clip, fps));
            assertEquals(Rejection.Kind.BAD_REQUEST, refused.kind());
        }
    }

    @Test
    void aTruncatedOrNonVideoClipIsRefusedInWordsAPersonCanActOn(@TempDir Path dir) throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(VideoSampler.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            // FFmpeg's MP4 keeps its index at the end: cut in half, the clip cannot even be opened
            Rejection truncated = assertThrows(Rejection.class,
                    () -> VideoSampler.sample(Arrays.copyOf(clip, clip.length / 2), 1.0, "clip CLIP0001.MP4"));
            assertEquals(Rejection.Kind.UNPROCESSABLE, truncated.kind());
            assertEquals("video cannot be opened: the clip is truncated, or is not a video MP4, MOV or AVI can hold",
                    truncated.getMessage());
            assertSpeaksToAPerson(truncated.getMessage());
            assertTrue(log.list.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(m ->
                    m.startsWith("clip CLIP0001.MP4 refused: FFmpeg cannot open it: ") && m.contains("avformat_open_input")),
                    "FFmpeg's own words go to the log: " + log.list);

            Rejection garbage = assertThrows(Rejection.class, () -> VideoSampler.sample("not a video".getBytes(), 1.0));
            assertEquals(truncated.getMessage(), garbage.getMessage());

            // with its index first, a cut clip opens, and its pictures stop short of the length it declares
            byte[] fastStart = TestClips.lateArrival(dir, Kind.MP4_MPEG4_FAST_START, CREATED);
            Rejection cut = assertThrows(Rejection.class,
                    () -> VideoSampler.sample(Arrays.copyOf(fastStart, fastStart.length * 2 / 5), 1.0));
            assertEquals(Rejection.Kind.UNPROCESSABLE, cut.kind());
            assertTrue(cut.getMessage().matches("truncated video: pictures stop at \\d\\.\\d s of the 6\\.2 s its container declares"),
                    cut.getMessage());
            assertSpeaksToAPerson(cut.getMessage());
        } finally {
            logger.detachAppender(log);
        }
    }

    /** No Java object identity, no FFmpeg or JavaCV function, no error code: nothing a person cannot act on. */
    static void assertSpeaksToAPerson(String message) {
        assertFalse(Pattern.compile("@[0-9a-f]{4,}").matcher(message).find(), "an object identity in: " + message);
        assertFalse(Pattern.compile("\\b(av|avformat|avcodec|avio|sws|swr)_\\w+|\\w+\\(\\)").matcher(message).find(),
                "a function name in: " + message);
        assertFalse(Pattern.compile("java\\.|javacv|bytedeco|error -?\\d", Pattern.CASE_INSENSITIVE).matcher(message).find(),
                "internals in: " + message);
    }

    static List<Integer> numbers(VideoSampler.Clip clip) {
        return clip.frames().stream().map(VideoSampler.SampledFrame::frameNumber).toList();
    }

    static List<Long> times(VideoSampler.Clip clip) {
        return clip.frames().stream().map(VideoSampler.SampledFrame::frameTimeMillis).toList();
    }

    static BufferedImage picture(VideoSampler.SampledFrame frame) {
        try {
            return ImageIO.read(new ByteArrayInputStream(frame.jpeg()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
