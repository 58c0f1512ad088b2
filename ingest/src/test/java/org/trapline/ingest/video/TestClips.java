package org.trapline.ingest.video;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.imageio.ImageIO;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.trapline.localstack.samples.SharedData;

/**
 * Short real video clips made from still images, as a camera trap in video mode would record them. Every
 * picture carries its frame number, drawn as a strip of black and white squares along its bottom left
 * edge ({@link #frameNumberIn}), so a test can tell which picture a sampled frame really is.
 */
public final class TestClips {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;
    public static final int FPS = 10;

    /** The late-arrival clip: 6.2 s at 10 fps, a dog and a cat for the first 3 s, then a pheasant. */
    public static final int LATE_ARRIVAL_PICTURES = 62;
    /** The first picture of the late-arrival clip that shows the pheasant. */
    public static final int LATE_ARRIVAL_PHEASANT_FROM = 30;

    // one square per bit, 16 px wide and aligned on 16 px, where the encoders' blocks lie: they come back
    // crisp through MPEG-4, H.264 and JPEG alike
    private static final int CODE_BITS = 10;
    private static final int CODE_SQUARE = 16;

    /** A container and video codec cameras write, as this FFmpeg build can write them. */
    public enum Kind {
        MP4_MPEG4("mp4", avcodec.AV_CODEC_ID_MPEG4, 0),
        /** Its index (moov) written before the pictures, as cameras that stream do: cut short, it still opens. */
        MP4_MPEG4_FAST_START("mp4", avcodec.AV_CODEC_ID_MPEG4, 0),
        /** OpenH264, the H.264 encoder this (LGPL) FFmpeg build has: baseline profile, no B-frames. */
        MP4_H264("mp4", avcodec.AV_CODEC_ID_H264, 0),
        MOV_MPEG4("mov", avcodec.AV_CODEC_ID_MPEG4, 0),
        /**
         * As DivX/Xvid cameras write: AVI keeps no presentation times, so with B-frames a decoder can only
         * guess them from the decoding order, and the last picture, left in the decoder, comes with none.
         */
        AVI_MPEG4_B_FRAMES("avi", avcodec.AV_CODEC_ID_MPEG4, 2);

        final String format;
        final int codec;
        final int bFrames;

        Kind(String format, int codec, int bFrames) {
            this.format = format;
            this.codec = codec;
            this.bFrames = bFrames;
        }
    }

    private TestClips() {
    }

    /** An MP4 (MPEG-4 video) showing each picture for one second at 10 fps, created at {@code createdAt}. */
    public static byte[] mp4(Path dir, List<Path> pictures, Instant createdAt) throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        for (Path picture : pictures) {
            frames.addAll(Collections.nCopies(FPS, read(picture)));
        }
        return write(dir, Kind.MP4_MPEG4, FPS, frames, createdAt);
    }

    /**
     * The late-arrival clip: 62 pictures at 10 fps (6.2 s), {@code animals/dog-cat.jpg} for the first 3 s,
     * then the camera-trap pheasant ({@code pheasant_web.jpg}, a silver pheasant in labels.csv) walks in.
     */
    public static byte[] lateArrival(Path dir, Kind kind, Instant createdAt) throws Exception {
        List<BufferedImage> frames = new ArrayList<>(Collections.nCopies(LATE_ARRIVAL_PHEASANT_FROM, dogAndCat()));
        frames.addAll(Collections.nCopies(LATE_ARRIVAL_PICTURES - LATE_ARRIVAL_PHEASANT_FROM, pheasant()));
        return write(dir, kind, FPS, frames, createdAt);
    }

    /** The late-arrival clip's first picture, as written (before its frame number is drawn on it). */
    public static BufferedImage dogAndCat() throws IOException {
        return read(SharedData.locate().images().resolve("animals/dog-cat.jpg"));
    }

    /** The late-arrival clip's later picture, as written (before its frame number is drawn on it). */
    public static BufferedImage pheasant() throws IOException {
        return read(SharedData.locate().images().resolve("camera-traps/pheasant_web.jpg"));
    }

    /** {@code count} plain grey pictures: a clip of {@code count / fps} seconds whose content does not matter. */
    public static List<BufferedImage> plain(int count) {
        BufferedImage grey = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = grey.createGraphics();
        g.setColor(new Color(110, 120, 100));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.dispose();
        return Collections.nCopies(count, grey);
    }

    /**
     * A clip of these pictures ({@link #WIDTH} x {@link #HEIGHT}), one per frame at {@code fps}, each with
     * its frame number drawn on it, created at {@code createdAt} when not null.
     */
    public static byte[] write(Path dir, Kind kind, int fps, List<BufferedImage> pictures, Instant createdAt)
            throws Exception {
        if (pictures.size() >= 1 << CODE_BITS) {
            throw new IllegalArgumentException("at most " + ((1 << CODE_BITS) - 1) + " pictures");
        }
        Path file = Files.createTempFile(dir, "clip-", "." + kind.format);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat(kind.format);
            recorder.setVideoCodec(kind.codec);
            recorder.setVideoBitrate(2_000_000);
            recorder.setFrameRate(fps);
            if (kind.bFrames > 0) {
                recorder.setMaxBFrames(kind.bFrames);
            }
            if (kind == Kind.MP4_MPEG4_FAST_START) {
                recorder.setOption("movflags", "faststart");
            }
            if (createdAt != null) {
                recorder.setMetadata("creation_time", createdAt.toString());
            }
            recorder.start();
            for (int i = 0; i < pictures.size(); i++) {
                recorder.record(converter.convert(numbered(pictures.get(i), i)));
            }
            recorder.stop();
        }
        return Files.readAllBytes(file);
    }

    /** The frame number {@link #write} drew on a picture of its clip (decoded, or sampled as a JPEG). */
    public static int frameNumberIn(BufferedImage picture) {
        int number = 0;
        for (int bit = 0; bit < CODE_BITS; bit++) {
            int rgb = picture.getRGB(bit * CODE_SQUARE + CODE_SQUARE / 2, HEIGHT - CODE_SQUARE / 2);
            int luma = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
            if (luma > 128) {
                number |= 1 << bit;
            }
        }
        return number;
    }

    /** Mean absolute difference per channel between two pictures of the same size, 0 to 255. */
    public static double difference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y += 4) {
            for (int x = 0; x < a.getWidth(); x += 4) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 0xff) - ((q >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
            }
        }
        return sum / (3.0 * (a.getWidth() / 4) * (a.getHeight() / 4));
    }

    private static BufferedImage numbered(BufferedImage picture, int number) {
        BufferedImage copy = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        g.drawImage(picture, 0, 0, null);
        for (int bit = 0; bit < CODE_BITS; bit++) {
            g.setColor((number >> bit & 1) == 1 ? Color.WHITE : Color.BLACK);
            g.fillRect(bit * CODE_SQUARE, HEIGHT - CODE_SQUARE, CODE_SQUARE, CODE_SQUARE);
        }
        g.dispose();
        return copy;
    }

    private static BufferedImage read(Path picture) throws IOException {
        BufferedImage source = ImageIO.read(picture.toFile());
        if (source == null) {
            throw new IOException("not a picture ImageIO reads: " + picture);
        }
        return scaled(source);
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
