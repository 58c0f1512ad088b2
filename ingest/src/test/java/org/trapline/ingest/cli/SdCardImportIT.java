package org.trapline.ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.CameraFrames;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.ingest.video.TestClips;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameSourceKind;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;

/** An SD card's folder through the same path as uploads, against the real broker and registry. */
@ExtendWith(TestStackExtension.class)
class SdCardImportIT {

    @Test
    void aCardIsImportedOnceAndARerunSkipsWhatIsIn(TestStack stack, @TempDir Path dataDir, @TempDir Path card,
                                                   @TempDir Path work)
            throws Exception {
        Path samples = SharedData.locate().images().resolve("camera-traps");
        List<String> names = List.of("idaho-camera-traps.jpg", "nacti.jpg", "pheasant_web.jpg", "true_positive.jpg");
        for (String name : names) {
            Files.copy(samples.resolve(name), card.resolve(name));
        }
        Files.createDirectories(card.resolve("DCIM/100MEDIA"));
        Files.copy(samples.resolve("nacti.jpg"), card.resolve("DCIM/100MEDIA/IMG_0001.JPG"));  // the same bytes again
        byte[] clip = TestClips.mp4(work, List.of(samples.resolve("idaho-camera-traps.jpg"), samples.resolve("missed_bird.jpg")),
                Instant.parse("2024-05-01T06:00:00Z"));
        Files.write(card.resolve("DCIM/100MEDIA/CLIP0001.MP4"), clip);
        Files.write(card.resolve("DCIM/100MEDIA/CLIP0002.MP4"), java.util.Arrays.copyOf(clip, clip.length / 2));  // copy cut short
        byte[] whole = Files.readAllBytes(samples.resolve("sample-cfz-01.jpg"));
        Files.write(card.resolve("DCIM/100MEDIA/IMG_0002.JPG"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Files.writeString(card.resolve("DCIM/100MEDIA/IMG_0003.JPG"), "not a picture");
        Files.writeString(card.resolve("notes.txt"), "camera 12, card swapped 2026-03-14");

        String camera = "card-cam-" + UUID.randomUUID();
        String sentinel;
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        TraplineConfig config = TraplineConfig.of(settings);
        new TopicSetup(config).run();
        try (IngestComponents parts = IngestComponents.create(config, "import-test")) {
            parts.catalog().putSite(new Site("highlands", "Highlands", null, null, "Europe/Oslo"));
            parts.catalog().putCamera(new Camera(camera, "highlands", null, null, 0));
            SdCardImport importer = new SdCardImport(parts);
            List<Path> reported = new ArrayList<>();

            SdCardImport.Summary first = importer.run(card, "highlands", camera, 1.0, (file, bytes) -> reported.add(file));
            assertEquals(4, first.images(), "four distinct pictures");
            assertEquals(1, first.clips());
            assertEquals(3, first.framesFromClips(), "a two-second clip at one frame a second, and its last picture at 1.9 s");
            assertEquals(1, first.duplicates(), "IMG_0001.JPG and nacti.jpg are the same bytes");
            assertEquals(0, first.alreadyIn());
            assertEquals(List.of("notes.txt"), first.skipped());
            assertEquals(3, first.rejected().size(), first.rejected().toString());
            assertTrue(first.rejected().stream().anyMatch(r -> r.startsWith("DCIM/100MEDIA/IMG_0002.JPG: truncated JPEG")), first.rejected().toString());
            assertTrue(first.rejected().stream().anyMatch(r -> r.startsWith("DCIM/100MEDIA/IMG_0003.JPG: not an image")), first.rejected().toString());
            assertTrue(first.rejected().contains("DCIM/100MEDIA/CLIP0002.MP4: video cannot be opened: the clip is truncated, "
                    + "or is not a video MP4, MOV or AVI can hold"), first.rejected().toString());
            assertEquals(SdCardImport.files(card), reported, "progress told for every file");

            SdCardImport.Summary again = importer.run(card, "highlands", camera, 1.0, (file, bytes) -> { });
            assertEquals(0, again.images() + again.clips(), "nothing new the second time");
            assertEquals(5, again.alreadyIn(), "four pictures and the clip are known by their hash");
            assertEquals(1, again.duplicates(), "and the copy is still a copy");

            // a later frame of the same camera travels the same partition: once it is seen, so would any copy be
            sentinel = parts.frames().ingest(org.trapline.ingest.frames.FrameIngestor.Upload.image(camera, "highlands",
                    Files.readAllBytes(samples.resolve("speciesnet_sample_image.jpg")), "sentinel.jpg",
                    java.util.Optional.empty())).frame().getFrameId();
        }

        List<Frame> frames = new ArrayList<>(CameraFrames.until(config, camera, sentinel));
        frames.removeIf(f -> f.getFrameId().equals(sentinel));
        assertEquals(7, frames.size(), "seven frames published, none twice: " + frames.stream().map(Frame::getOriginalFileName).toList());
        List<Frame> fromClip = frames.stream().filter(f -> f.getSource() == FrameSourceKind.VIDEO_FRAME).toList();
        assertEquals(3, fromClip.size());
        assertEquals(Instant.parse("2024-05-01T06:00:01Z"), fromClip.get(1).getCaptureTime(), "clip start plus frame time");
        assertEquals(Instant.parse("2024-05-01T06:00:01.900Z"), fromClip.get(2).getCaptureTime(), "and the clip's last picture");
    }
}
