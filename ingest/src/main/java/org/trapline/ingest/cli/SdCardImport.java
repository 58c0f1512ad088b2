package org.trapline.ingest.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Stream;

import org.trapline.blob.BlobKeys;
import org.trapline.ingest.IngestComponents;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.frames.Rejection;
import org.trapline.media.MediaTypes;
import org.trapline.ingest.video.ClipIngestor;

/**
 * An SD card's folder into Trapline, for one camera: every image and clip under it goes down the same
 * path as a gateway's upload. A file this camera already sent is skipped by its hash before any work,
 * so an interrupted import is simply run again.
 */
public final class SdCardImport {

    /** Told after each file, for a progress bar. */
    public interface Progress {
        void fileDone(Path file, long bytes);
    }

    /** What an import did, file by file. */
    public record Summary(int images, int clips, int framesFromClips, long bytes, int duplicates, int alreadyIn,
                          List<String> skipped, List<String> rejected) {
    }

    private final IngestComponents parts;

    public SdCardImport(IngestComponents parts) {
        this.parts = parts;
    }

    /** The files an import looks at: every regular, visible file under {@code dir}, in name order. */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    public Summary run(Path dir, String siteId, String cameraId, double framesPerSecond, Progress progress)
            throws IOException, Rejection {
        parts.frames().camera(cameraId, siteId);  // an unknown camera or wrong site stops the import at once
        int images = 0;
        int clips = 0;
        int framesFromClips = 0;
        long bytes = 0;
        int duplicates = 0;
        int alreadyIn = 0;
        List<String> skipped = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<String> seenThisRun = new HashSet<>();
        for (Path file : files(dir)) {
            byte[] content = Files.readAllBytes(file);
            String name = dir.relativize(file).toString();
            String mediaType = MediaTypes.sniff(content);
            String sha256 = BlobKeys.sha256(content);
            if (!seenThisRun.add(sha256)) {
                duplicates++;  // the same bytes twice on the card (a copy, a re-saved file)
                progress.fileDone(file, content.length);
                continue;
            }
            try {
                if (MediaTypes.isVideo(mediaType)) {
                    if (parts.clips().alreadyIn(cameraId, sha256)) {
                        alreadyIn++;
                    } else {
                        ClipIngestor.Result clip = parts.clips().ingest(cameraId, siteId, content, name, modified(file),
                                framesPerSecond);
                        clips++;
                        framesFromClips += (int) clip.frames().stream().filter(f -> !f.duplicate()).count();
                        bytes += content.length;
                    }
                } else if (mediaType.equals(MediaTypes.UNKNOWN) && !looksLikeMedia(name)) {
                    skipped.add(name);  // the card's own files: notes, indexes, thumbnails databases
                } else if (parts.frames().alreadyIn(cameraId, sha256)) {
                    alreadyIn++;
                } else {
                    parts.frames().ingest(FrameIngestor.Upload.image(cameraId, siteId, content, name, modified(file)));
                    images++;
                    bytes += content.length;
                }
            } catch (Rejection e) {
                rejected.add(name + ": " + e.getMessage());
            }
            progress.fileDone(file, content.length);
        }
        return new Summary(images, clips, framesFromClips, bytes, duplicates, alreadyIn, skipped, rejected);
    }

    /** A file named like a picture or clip is one we owe an answer for, even if its bytes are not. */
    private static boolean looksLikeMedia(String name) {
        return name.toLowerCase().matches(".*\\.(jpe?g|png|tiff?|gif|bmp|heic|mp4|mov|avi|mkv|3gp)$");
    }

    /**
     * The file's modification time stands in for a gateway's clock: a camera writes the file when it
     * takes the picture, and an SD-card copy usually keeps that time.
     */
    private static Optional<Instant> modified(Path file) throws IOException {
        return Optional.of(Files.getLastModifiedTime(file).toInstant());
    }
}
