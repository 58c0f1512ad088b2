package org.trapline.detector.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.trapline.localstack.samples.SharedData;

/** The detector's image decoding on the shared real images, against the JDK's ImageIO. */
class ImageDecoderTest {

    static List<Path> cameraTraps() throws Exception {
        try (var files = Files.list(SharedData.locate().images().resolve("camera-traps"))) {
            return files.filter(f -> f.getFileName().toString().toLowerCase().endsWith(".jpg")).sorted().toList();
        }
    }

    @Test
    void headersGiveTheSizeImageIoDecodes() throws Exception {
        for (Path image : cameraTraps()) {
            BufferedImage decoded = ImageIO.read(image.toFile());
            ImageSize size = ImageSize.of(Files.readAllBytes(image)).orElseThrow(() -> new AssertionError(image.toString()));
            assertEquals(List.of(decoded.getWidth(), decoded.getHeight(), true), List.of(size.width(), size.height(), size.jpeg()),
                    image.getFileName().toString());
        }
        Path png = SharedData.fetched("astronaut.png");
        assertEquals(Optional.of(new ImageSize(512, 512, false)), ImageSize.of(Files.readAllBytes(png)));
        assertEquals(Optional.empty(), ImageSize.of("not a picture".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ImageSize.of(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}));
    }

    @Test
    void wholeDecodingMatchesImageIo() throws Exception {
        for (Path image : cameraTraps()) {
            byte[] bytes = Files.readAllBytes(image);
            BufferedImage reference = ImageIO.read(new ByteArrayInputStream(bytes));
            BufferedImage decoded = ImageDecoder.whole().decode(bytes).orElseThrow();
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, decoded.getType());
            assertEquals(reference.getWidth(), decoded.getWidth(), image.toString());
            assertEquals(reference.getHeight(), decoded.getHeight(), image.toString());
            // two libjpeg builds: the same picture up to rounding in the inverse DCT and colour conversion
            assertTrue(meanDifference(reference, decoded) < 1.5, image + ": " + meanDifference(reference, decoded));
        }
    }

    @Test
    void largeJpegsAreDecodedReducedButNeverBelowTheNetworksSize() throws Exception {
        ImageDecoder decoder = ImageDecoder.forNetwork(640);
        int reduced = 0;
        for (Path image : cameraTraps()) {
            byte[] bytes = Files.readAllBytes(image);
            ImageSize size = ImageSize.of(bytes).orElseThrow();
            BufferedImage decoded = decoder.decode(bytes).orElseThrow();
            int longest = Math.max(size.width(), size.height());
            int factor = longest >= 8 * 640 ? 8 : longest >= 4 * 640 ? 4 : longest >= 2 * 640 ? 2 : 1;
            assertEquals((size.width() + factor - 1) / factor, decoded.getWidth(), image.toString());
            assertEquals((size.height() + factor - 1) / factor, decoded.getHeight(), image.toString());
            assertTrue(Math.max(decoded.getWidth(), decoded.getHeight()) >= Math.min(640, longest), image.toString());
            reduced += factor > 1 ? 1 : 0;
        }
        assertEquals(6, reduced, "the four 1999 × 1500 Snapshot Safari frames, the 1405 × 988 and the 1280 × 900 one");
    }

    @Test
    void whatIsNotAPictureDecodesToNothing() throws Exception {
        assertEquals(Optional.empty(), ImageDecoder.forNetwork(640).decode("not a picture at all".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ImageDecoder.forNetwork(640).decode(new byte[0]));
        byte[] jpeg = Files.readAllBytes(cameraTraps().get(0));
        assertEquals(Optional.empty(), ImageDecoder.forNetwork(640).decode(Arrays.copyOf(jpeg, 20)), "a header and no picture");
    }

    @Test
    void pngsDecodeWhole() throws Exception {
        Path png = SharedData.fetched("astronaut.png");
        BufferedImage reference = ImageIO.read(png.toFile());
        BufferedImage decoded = ImageDecoder.forNetwork(64).decode(Files.readAllBytes(png)).orElseThrow();
        assertEquals(reference.getWidth(), decoded.getWidth());
        assertEquals(0.0, meanDifference(reference, decoded), 1e-9, "PNG is lossless: the same pixels");
    }

    static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int pa = a.getRGB(x, y);
                int pb = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((pa >> shift) & 0xff) - ((pb >> shift) & 0xff));
                }
            }
        }
        return sum / (a.getWidth() * (double) a.getHeight() * 3);
    }
}
