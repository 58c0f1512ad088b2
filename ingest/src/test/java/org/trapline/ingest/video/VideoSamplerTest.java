package org.trapline.ingest.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.ingest.frames.Rejection;
import org.trapline.testsupport.samples.SharedData;

class VideoSamplerTest {

    static final Instant CREATED = Instant.parse("2024-05-01T06:00:00Z");
    static byte[] clip;

    @BeforeAll
    static void makeClip(@TempDir Path dir) throws Exception {
        Path images = SharedData.locate().images().resolve("camera-traps");
        clip = TestClips.mp4(dir, List.of(images.resolve("idaho-camera-traps.jpg"), images.resolve("nacti.jpg"),
                images.resolve("pheasant_web.jpg")), CREATED);
    }

    @Test
    void oneFrameASecondWithItsNumberAndTime() throws Exception {
        VideoSampler.Clip sampled = VideoSampler.sample(clip, 1.0);
        assertEquals(List.of(0L, 1000L, 2000L), sampled.frames().stream().map(VideoSampler.SampledFrame::frameTimeMillis).toList());
        List<Integer> numbers = sampled.frames().stream().map(VideoSampler.SampledFrame::frameNumber).toList();
        assertTrue(numbers.get(0) < numbers.get(1) && numbers.get(1) < numbers.get(2), "frame numbers in order: " + numbers);
        assertEquals(Optional.of(CREATED), sampled.createdAt(), "the camera's creation time from the container");
        for (VideoSampler.SampledFrame frame : sampled.frames()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.jpeg()));
            assertEquals(TestClips.WIDTH, image.getWidth());
            assertEquals(TestClips.HEIGHT, image.getHeight());
        }
    }

    @Test
    void aHigherRateTakesMoreFrames() throws Exception {
        assertEquals(9, VideoSampler.sample(clip, 3.0).frames().size(), "3 s at 3 fps");
    }

    @Test
    void aTruncatedOrNonVideoClipIsRefusedWhole() {
        Rejection truncated = assertThrows(Rejection.class, () -> VideoSampler.sample(Arrays.copyOf(clip, clip.length / 2), 1.0));
        assertEquals(Rejection.Kind.UNPROCESSABLE, truncated.kind());
        assertTrue(truncated.getMessage().contains("video cannot be decoded") || truncated.getMessage().contains("truncated"),
                truncated.getMessage());
        Rejection garbage = assertThrows(Rejection.class, () -> VideoSampler.sample("not a video".getBytes(), 1.0));
        assertTrue(garbage.getMessage().contains("video cannot be decoded"), garbage.getMessage());
    }
}
