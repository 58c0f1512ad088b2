package org.trapline.ingest.video;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Short real video clips made from still images, as a camera trap in video mode would record them. */
public final class TestClips {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;
    public static final int FPS = 10;

    private TestClips() {
    }

    /** An MP4 (MPEG-4 video) showing each picture for one second at 10 fps, created at {@code createdAt}. */
    public static byte[] mp4(Path dir, List<Path> pictures, Instant createdAt) throws Exception {
        Path file = dir.resolve("clip-" + System.nanoTime() + ".mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setVideoBitrate(2_000_000);
            recorder.setFrameRate(FPS);
            if (createdAt != null) {
                recorder.setMetadata("creation_time", createdAt.toString());
            }
            recorder.start();
            for (Path picture : pictures) {
                BufferedImage scaled = scaled(ImageIO.read(picture.toFile()));
                for (int i = 0; i < FPS; i++) {
                    recorder.record(converter.convert(scaled));
                }
            }
            recorder.stop();
        }
        return Files.readAllBytes(file);
    }

    private static BufferedImage scaled(BufferedImage source) {
        BufferedImage target = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, WIDTH, HEIGHT, null);
        g.dispose();
        return target;
    }
}
