package org.trapline.ingest.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.IngestComponents;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.ingest.frames.Rejection;
import org.trapline.topics.TopicSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trapline import DIR --site S --camera C}: an SD card's images and clips into Trapline. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a folder of images and video clips (an SD card) from one camera. Files already in are "
                + "skipped, so an interrupted import is simply run again.")
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The folder, searched with its subfolders.")
    Path dir;

    @Option(names = "--site", required = true, description = "Site the camera stands at.")
    String site;

    @Option(names = "--camera", required = true, description = "Camera the card came from.")
    String camera;

    @Option(names = "--config", defaultValue = ".trapline/local/trapline.properties",
            description = "Configuration file (default: ${DEFAULT-VALUE}, written by 'trapline run').")
    Path config;

    @Option(names = "--fps", defaultValue = "1", description = "Frames taken per second of video (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--register", description = "Add the site and camera to the catalog when they are not in it yet.")
    boolean register;

    @Option(names = "--no-progress", description = "No progress bar (for logs and scripts).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!Files.isDirectory(dir)) {
            System.err.println("not a folder: " + dir);
            return 2;
        }
        TraplineConfig settings = TraplineConfig.load(config, System.getenv());
        new TopicSetup(settings).run();
        try (IngestComponents parts = IngestComponents.create(settings, "import")) {
            if (register) {
                registerIfMissing(parts);
            }
            var files = SdCardImport.files(dir);
            long total = files.stream().mapToLong(f -> f.toFile().length()).sum();
            long started = System.nanoTime();
            SdCardImport.Summary summary;
            try (ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName("Importing")
                    .setInitialMax(total).setUnit(" MB", 1_048_576).showSpeed().setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).build()) {
                summary = new SdCardImport(parts).run(dir, site, camera, fps, (file, bytes) -> {
                    if (bar != null) {
                        bar.stepBy(bytes);
                        bar.setExtraMessage(file.getFileName().toString());
                    }
                });
            } catch (Rejection e) {
                System.err.println("import refused: " + e.getMessage());
                return 2;
            }
            print(out, summary, Duration.ofNanos(System.nanoTime() - started));
            return summary.rejected().isEmpty() ? 0 : 1;
        }
    }

    private void registerIfMissing(IngestComponents parts) {
        if (parts.catalog().site(site).isEmpty()) {
            parts.catalog().putSite(new Site(site, site, null, null, null));
        }
        if (parts.catalog().camera(camera).isEmpty()) {
            parts.catalog().putCamera(new Camera(camera, site, null, null, 0));
        }
    }

    static void print(PrintStream out, SdCardImport.Summary s, Duration took) {
        out.printf("%nImported %d images and %d clips (%d frames), %.1f MB, in %.1f s.%n", s.images(), s.clips(),
                s.framesFromClips(), s.bytes() / 1_048_576.0, took.toMillis() / 1000.0);
        out.printf("Already in before: %d. Copies of the same bytes on this card: %d.%n", s.alreadyIn(), s.duplicates());
        if (!s.skipped().isEmpty()) {
            out.printf("Skipped %d files that are not images or videos: %s%n", s.skipped().size(), String.join(", ", s.skipped()));
        }
        if (!s.rejected().isEmpty()) {
            out.printf("Rejected %d:%n", s.rejected().size());
            s.rejected().forEach(line -> out.println("  " + line));
        }
    }
}
