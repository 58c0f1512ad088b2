package org.trapline.devtools.bench;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.DetectorSettings;
import org.trapline.detector.FrameDetector;
import org.trapline.detector.image.ImageDecoder;
import org.trapline.detector.model.Box;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.detector.species.DetectorSpecies;
import org.trapline.detector.species.FrameCrops;
import org.trapline.schema.ModelInfo;
import org.trapline.species.AnimalBox;
import org.trapline.species.SpeciesRecords;
import org.trapline.species.SpeciesSettings;
import org.trapline.species.model.ClassifierModel;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.rollup.Place;
import org.trapline.localstack.samples.SharedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The species stage's crops per second beside raw classifier inference on the same crops, in one run,
 * the same classifier settings and the same number of threads.
 *
 * <p>The crops are the animal boxes the detector's network publishes on the sample images (found once,
 * before anything is measured), on the pictures as the detector decodes them. Two sides, both in polls of
 * {@code --poll} frames, each poll's crops through the classifier in one call as the service does:
 * <ul>
 * <li><b>raw inference</b>: {@code ClassifierModel.classify} on the crops already cut, nothing else;</li>
 * <li><b>the stage</b>, as the detector runs it ({@code DetectorSpecies}): each frame's boxes cropped from
 *     its decoded picture, the poll's crops classified, softmax, rollup, geofence, and each answer written
 *     as the record {@code FrameDetections} carries.</li>
 * </ul>
 * Both warm up first, then run in alternating rounds of the same crops, because the machines this runs on
 * are shared: the result is the median of the rounds' ratios, each a pair measured side by side, and the
 * ratio of the totals, with the CPU this JVM used per crop on each side.
 */
@Command(name = "species", mixinStandardHelpOptions = true,
        description = "The species stage's crops/s beside raw classifier inference on the same crops.")
public final class SpeciesBenchmark implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "../shared/images/camera-traps", description = "JPEG images (default: ${DEFAULT-VALUE}).")
    Path images;

    @Option(names = "--rounds", defaultValue = "6", description = "Measured rounds of each side, alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--copies", defaultValue = "16", description = "Passes over the frames in a round (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--poll", defaultValue = "32", description = "Frames whose crops go through the classifier together, "
            + "as a poll does in the detector (default: ${DEFAULT-VALUE}, detector.max.poll.records).")
    int poll;

    @Option(names = "--threads", defaultValue = "1", description = "Classifying threads, for both sides "
            + "(species.inference.threads; default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--data-dir", defaultValue = ".trapline/bench-species", description = "Scratch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--config", arity = "0..*", description = "Further settings, KEY=VALUE, for both sides "
            + "(e.g. species.batch.size=8, species.intra.op.threads=1, species.model.path=…).")
    List<String> extra = new ArrayList<>();

    /** Passes over the crops before measuring: enough for the JIT to have compiled each side's hot code. */
    private static final int WARM_UP_PASSES = 8;

    /** A frame the detector found animals on: its picture as decoded, its boxes, and those it classifies. */
    private record Frame(BufferedImage picture, List<Box> boxes, List<Integer> animals) {
    }

    /** One side in one round: crops, seconds, and this JVM's CPU meanwhile. */
    private record Phase(int crops, double seconds, long cpuNanos) {
        double cropsPerSecond() {
            return crops / seconds;
        }
    }

    private record Round(Phase raw, Phase stage) {
    }

    @Override
    public Integer call() throws Exception {
        IngestBenchmark.deleteRecursively(dataDir);
        Map<String, String> settings = new HashMap<>(Map.of("data.dir", dataDir.toString(),
                "models.dir", SharedData.locate().models().toString(),
                "species.inference.threads", String.valueOf(threads),
                "species.enabled", "true"));
        for (String setting : extra) {
            String[] kv = setting.split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        TraplineConfig config = TraplineConfig.of(settings);
        SpeciesSettings speciesSettings = SpeciesSettings.ifEnabled(config).orElseThrow();
        List<Frame> frames = frames(config);
        int cropsPerPass = frames.stream().mapToInt(f -> f.animals().size()).sum();
        if (cropsPerPass == 0) {
            throw new IllegalArgumentException("the detector finds no animal on the images in " + images);
        }

        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Round> results = new ArrayList<>();
        try (DetectorSpecies stage = DetectorSpecies.fromConfig(config, metrics).orElseThrow();
             ClassifierModel raw = ClassifierModel.load(speciesSettings.model())) {
            // the raw side's crops: exactly those the stage cuts, cut once
            List<List<BufferedImage>> rawPolls = polls(frames).stream().map(p -> p.stream().flatMap(f -> f.animals().stream()
                    .map(i -> stage.stage().crop(f.picture(), animal(f.boxes().get(i))))).toList()).toList();
            List<List<Frame>> stagePolls = polls(frames);
            run(pool, rawPolls, WARM_UP_PASSES, p -> raw.classify(p).size());
            run(pool, stagePolls, WARM_UP_PASSES, p -> throughTheStage(stage, p));
            for (int round = 0; round < rounds; round++) {
                Phase rawPhase = measure(cropsPerPass * copies, () -> run(pool, rawPolls, copies, p -> raw.classify(p).size()));
                Phase stagePhase = measure(cropsPerPass * copies, () -> run(pool, stagePolls, copies, p -> throughTheStage(stage, p)));
                results.add(new Round(rawPhase, stagePhase));
            }
        } finally {
            pool.shutdownNow();
            metrics.close();
        }
        report(speciesSettings, frames.size(), cropsPerPass, results);
        return 0;
    }

    /** One poll through the stage as the detector runs it: crop, classify together, roll up, write the records. */
    private static int throughTheStage(DetectorSpecies stage, List<Frame> poll) throws Exception {
        List<FrameCrops> crops = new ArrayList<>(poll.size());
        for (Frame f : poll) {
            crops.add(stage.crop(f.picture(), f.boxes(), f.animals(), Place.UNKNOWN));
        }
        int answered = 0;
        for (BoxSpecies named : stage.classify(crops)) {
            if (!named.failures().isEmpty()) {
                throw new IllegalStateException("the stage failed on a crop: " + named.failures());
            }
            for (Map.Entry<Integer, SpeciesResult> answer : named.answers().entrySet()) {
                SpeciesRecords.toAvro(answer.getKey(), answer.getValue());
                answered++;
            }
        }
        return answered;
    }

    /** The sample images with animals on them, as the detector decodes them, with the boxes it classifies. */
    private List<Frame> frames(TraplineConfig config) throws Exception {
        DetectorSettings detector = DetectorSettings.fromConfig(config);
        BlobStore blobs = BlobStores.fromConfig(config);
        FrameDetector decider = new FrameDetector(detector.model().labels(), detector.thresholds(),
                new ModelInfo(detector.model().name(), detector.model().version()), new Redactor(blobs, detector.redaction()),
                new RepeatDetections(blobs, detector.repeats()), Clock.systemUTC());
        ImageDecoder decoder = ImageDecoder.forNetwork(detector.model().inputSize());
        List<Frame> frames = new ArrayList<>();
        try (DetectorModel network = DetectorModel.load(detector.model())) {
            for (byte[] jpeg : IngestBenchmark.jpegs(images)) {
                BufferedImage picture = decoder.decode(jpeg).orElseThrow();
                List<Box> boxes = network.detect(List.of(picture)).get(0);
                List<Integer> animals = decider.animalCandidates(boxes);
                if (!animals.isEmpty()) {
                    frames.add(new Frame(picture, boxes, animals));
                }
            }
        }
        return frames;
    }

    private static AnimalBox animal(Box box) {
        return new AnimalBox(org.trapline.schema.DetectionCategory.ANIMAL, box.confidence(), box.x(), box.y(), box.width(), box.height());
    }

    private List<List<Frame>> polls(List<Frame> frames) {
        List<List<Frame>> polls = new ArrayList<>();
        for (int from = 0; from < frames.size(); from += poll) {
            polls.add(frames.subList(from, Math.min(frames.size(), from + poll)));
        }
        return polls;
    }

    @FunctionalInterface
    private interface PollWork<T> {
        int run(T poll) throws Exception;
    }

    /** Every poll {@code passes} times over, shared among the threads; the seconds it took. */
    private <T> double run(ExecutorService pool, List<T> polls, int passes, PollWork<T> work) throws Exception {
        long begin = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        int total = polls.size() * passes;
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    work.run(polls.get(i % polls.size()));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return (System.nanoTime() - begin) / 1e9;
    }

    private static Phase measure(int crops, Callable<Double> work) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        double seconds = work.call();
        return new Phase(crops, seconds, os.getProcessCpuTime() - cpu);
    }

    private void report(SpeciesSettings settings, int frames, int crops, List<Round> rounds) {
        ClassifierModel.Settings model = settings.model();
        System.out.printf("%nSpecies benchmark: %s, %d rounds of %d crops (%d animal boxes on %d sample frames x %d), "
                        + "polls of %d frames, %d classifying thread(s) of %d ONNX Runtime thread(s), %d crops per call, "
                        + "%d cores%n%n", settings.classifier().name(), rounds.size(), crops * copies, crops, frames, copies,
                poll, threads, model.intraOpThreads(), model.batchSize(), Runtime.getRuntime().availableProcessors());
        System.out.printf("| round | raw inference: crops/s | the stage: crops/s | stage / raw |%n|---:|---:|---:|---:|%n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            System.out.printf("| %d | %.1f | %.1f | %.2f |%n", i + 1, r.raw().cropsPerSecond(), r.stage().cropsPerSecond(),
                    r.stage().cropsPerSecond() / r.raw().cropsPerSecond());
        }
        System.out.printf("%n| path | crops/s, all rounds | CPU per crop, this JVM |%n|---|---:|---:|%n");
        row("raw classifier inference on the crops (ClassifierModel.classify)", rounds, true);
        row("the species stage as the detector runs it (crop, classify, roll up, geofence, record)", rounds, false);
        System.out.printf("%nstage / raw inference: median of rounds %s, all rounds %.2f%n",
                medianAndRange(rounds, r -> r.stage().cropsPerSecond() / r.raw().cropsPerSecond()),
                total(rounds, false) / total(rounds, true));
    }

    private static void row(String name, List<Round> rounds, boolean raw) {
        long crops = rounds.stream().mapToLong(r -> (raw ? r.raw() : r.stage()).crops()).sum();
        double cpu = rounds.stream().mapToLong(r -> (raw ? r.raw() : r.stage()).cpuNanos()).sum() / 1e6 / crops;
        System.out.printf("| %s | %.1f | %.1f ms |%n", name, total(rounds, raw), cpu);
    }

    private static double total(List<Round> rounds, boolean raw) {
        return rounds.stream().mapToInt(r -> (raw ? r.raw() : r.stage()).crops()).sum()
                / rounds.stream().mapToDouble(r -> (raw ? r.raw() : r.stage()).seconds()).sum();
    }

    private static String medianAndRange(List<Round> rounds, ToDoubleFunction<Round> ratio) {
        List<Double> sorted = rounds.stream().mapToDouble(ratio).sorted().boxed().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format("%.2f (%.2f to %.2f)", median, sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
