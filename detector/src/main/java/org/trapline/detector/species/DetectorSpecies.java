package org.trapline.detector.species;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import ai.djl.translate.TranslateException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.catalog.WatchedCatalog;
import org.trapline.config.CommonSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.model.Box;
import org.trapline.detector.DetectorSettings;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.Frame;
import org.trapline.schema.SpeciesClassification;
import org.trapline.species.AnimalBox;
import org.trapline.species.Crop;
import org.trapline.species.SpeciesSettings;
import org.trapline.species.SpeciesStage;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.rollup.Place;

/**
 * The species stage as the detector runs it, between detection and the frame's decision.
 *
 * <ul>
 * <li>Which boxes: those the frame's decision will publish as animals ({@code FrameDetector.animalCandidates}).</li>
 * <li>When to crop: as soon as a frame's boxes are known, from the picture the detector decoded for the
 *     network ({@link #crop}), so that no frame is decoded twice and only the small crops wait for the
 *     rest of the poll, not the decoded frames.</li>
 * <li>Where: the frame's site and, from the site catalog, its country, for the geofence
 *     ({@code species.geofence.site.SITE}, {@code species.geofence.country.ISO3}).</li>
 * <li>Batching: a whole poll's crops go through the classifier together ({@link #classify}).</li>
 * <li>Failures: should that call fail, each crop is tried alone, so that one bad crop costs only its own
 *     answer; a crop that still fails gets a reason instead of an answer. Nothing here throws for a bad
 *     crop: the frame is published with its detections whatever the classifier does.</li>
 * </ul>
 *
 * <p>Metrics: {@code trapline.detector.species.crops} (crops classified or failed, per outcome),
 * {@code trapline.detector.species.classify} (the classifier's time per call, a histogram), and, once
 * committed ({@link #committed}), {@code trapline.detector.species.answers} by rank (or blank / human /
 * vehicle) and {@code trapline.detector.species.flags} by flag.
 */
public final class DetectorSpecies implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetectorSpecies.class);

    private final SpeciesStage stage;
    private final Supplier<SiteCatalog.Contents> catalog;
    private final MeterRegistry metrics;
    private final Timer classifyTime;
    private final Counter classified;
    private final Counter failed;

    public DetectorSpecies(SpeciesStage stage, Supplier<SiteCatalog.Contents> catalog, MeterRegistry metrics) {
        this.stage = stage;
        this.catalog = catalog;
        this.metrics = metrics;
        this.classifyTime = Timer.builder("trapline.detector.species.classify").publishPercentileHistogram()
                .description("one call of the species classifier (a poll's crops, or one crop when retried alone)")
                .register(metrics);
        this.classified = crops("classified");
        this.failed = crops("failed");
    }

    /**
     * The stage as the configuration sets it ({@code species.*}, see {@link SpeciesSettings}); empty when
     * it is off. The site catalog is read from {@code detector.catalog.file}, by default ingest's
     * ({@code ingest.catalog.file}, else {@code <data.dir>/ingest/catalog.json}).
     */
    public static Optional<DetectorSpecies> fromConfig(TraplineConfig config, MeterRegistry metrics) throws IOException {
        Optional<SpeciesSettings> settings = SpeciesSettings.ifEnabled(config);
        if (settings.isEmpty()) {
            log.info("species stage off (species.enabled={}, classifier {})", SpeciesSettings.ENABLED.of(config),
                    SpeciesSettings.modelPath(config));
            return Optional.empty();
        }
        Path catalogFile = CommonSettings.catalogFile(config, DetectorSettings.CATALOG_FILE);
        SpeciesStage stage = SpeciesStage.load(settings.get());
        log.info("species stage on: {} ({} crops per call)", settings.get().classifier().name(),
                settings.get().model().batchSize());
        return Optional.of(new DetectorSpecies(stage, new WatchedCatalog(catalogFile), metrics));
    }

    /** Threads that may classify at once: one per predictor ({@code species.inference.threads}). */
    public int threads() {
        return stage.settings().model().threads();
    }

    public SpeciesStage stage() {
        return stage;
    }

    /** Where a frame was taken, for the geofence: its site and the country the catalog gives the site. */
    public Place place(Frame frame) {
        String country = catalog.get().sites().stream().filter(s -> s.id().equals(frame.getSiteId()))
                .map(Site::country).filter(c -> c != null).findFirst().orElse(null);
        return new Place(frame.getSiteId(), country);
    }

    /**
     * The crops of the chosen boxes ({@code which}: indices into {@code boxes}) from the picture the
     * boxes were found on; boxes are normalised, so any size of the picture will do.
     */
    public FrameCrops crop(BufferedImage picture, List<Box> boxes, List<Integer> which, Place place) {
        if (which.isEmpty()) {
            return FrameCrops.NONE;
        }
        Map<Integer, Crop> crops = new HashMap<>();
        Map<Integer, String> failures = new HashMap<>();
        for (int index : which) {
            Box box = boxes.get(index);
            AnimalBox animal = new AnimalBox(DetectionCategory.ANIMAL, box.confidence(), box.x(), box.y(), box.width(), box.height());
            try {
                crops.put(index, new Crop(stage.crop(picture, animal), animal, place));
            } catch (RuntimeException e) {
                failures.put(index, "the crop of box [" + box.x() + ", " + box.y() + ", " + box.width() + ", " + box.height()
                        + "] on a " + picture.getWidth() + " x " + picture.getHeight() + " picture failed: " + e);
            }
        }
        return new FrameCrops(crops, failures);
    }

    /**
     * Each frame's answers, in order: every crop of the poll through the classifier together; a crop the
     * classifier fails on, tried alone, gets a reason instead of an answer.
     *
     * @throws InterruptedException only when the thread is interrupted (the service is stopping)
     */
    public List<BoxSpecies> classify(List<FrameCrops> frames) throws InterruptedException {
        List<Crop> all = new ArrayList<>();
        for (FrameCrops frame : frames) {
            all.addAll(frame.crops().values());
        }
        List<Optional<SpeciesResult>> answers = new ArrayList<>(all.size());
        List<String> reasons = new ArrayList<>(all.size());
        if (!all.isEmpty()) {
            try {
                classifyTimed(all).forEach(answer -> {
                    answers.add(Optional.of(answer));
                    reasons.add(null);
                });
            } catch (TranslateException | RuntimeException e) {
                log.warn("the classifier failed on {} crops together ({}): trying each alone", all.size(), e.toString());
                for (Crop crop : all) {
                    try {
                        answers.add(Optional.of(classifyTimed(List.of(crop)).get(0)));
                        reasons.add(null);
                    } catch (TranslateException | RuntimeException alone) {
                        answers.add(Optional.empty());
                        reasons.add("the classifier failed on its crop: " + cause(alone));
                    }
                }
            }
        }
        List<BoxSpecies> results = new ArrayList<>(frames.size());
        int next = 0;
        for (FrameCrops frame : frames) {
            Map<Integer, SpeciesResult> named = new HashMap<>();
            Map<Integer, String> failures = new HashMap<>(frame.failures());
            for (int box : frame.crops().keySet()) {
                Optional<SpeciesResult> answer = answers.get(next);
                if (answer.isPresent()) {
                    named.put(box, answer.get());
                } else {
                    failures.put(box, reasons.get(next));
                }
                next++;
            }
            classified.increment(named.size());
            failed.increment(failures.size());
            results.add(new BoxSpecies(named, failures));
        }
        return results;
    }

    private List<SpeciesResult> classifyTimed(List<Crop> crops) throws TranslateException, InterruptedException {
        Timer.Sample sample = Timer.start(metrics);
        try {
            return stage.classifyCrops(crops);
        } finally {
            sample.stop(classifyTime);
        }
    }

    /** The innermost reason, with its class: DJL wraps the engine's errors. */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    }

    /** Counts the answers a committed poll published, by rank and by flag. */
    public void committed(List<SpeciesClassification> published) {
        for (SpeciesClassification c : published) {
            String rank = c.getRank() == null ? c.getKind().name() : c.getRank().name();
            Counter.builder("trapline.detector.species.answers").tag("rank", rank.toLowerCase(java.util.Locale.ROOT))
                    .description("answers published, by the rank they were named to (or blank, human, vehicle)")
                    .register(metrics).increment();
            for (String flag : c.getFlags()) {
                Counter.builder("trapline.detector.species.flags").tag("flag", flag)
                        .description("answers published with a flag for a reviewer").register(metrics).increment();
            }
        }
    }

    private Counter crops(String outcome) {
        return Counter.builder("trapline.detector.species.crops").tag("outcome", outcome)
                .description("crops through the species classifier").register(metrics);
    }

    @Override
    public void close() {
        stage.close();
    }
}
