package org.trapline.detector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.trapline.config.CommonSettings;
import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.model.ModelFamily;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.schema.DetectionCategory;

/**
 * The detector's configuration. Each key of one value is declared below once, as a {@link Setting} with its
 * default, what it means and the values it takes ({@link #ALL}; docs/configuration.md is the reference, checked
 * against the declarations). Read under a prefix, here:
 *
 * <pre>
 * detector.threshold.CATEGORY     per category (animal, person, vehicle); detector.threshold else
 * detector.category.LABEL         animal | person | vehicle | none: override a class's category
 * detector.*threads, .spinning    the network's threading ({@link OnnxThreading}, as every network's)
 * </pre>
 */
public record DetectorSettings(DetectorModel.Settings model, Map<DetectionCategory, Float> thresholds,
                               int batchSize, Redactor.Mode redaction, RepeatDetections.Settings repeats) {

    /** The network's threading keys: predictors, ONNX Runtime's threads inside one inference, spinning. */
    public static final OnnxThreading.Keys THREADING = new OnnxThreading.Keys("detector.inference.threads",
            "detector.intra.op.threads", "detector.intra.op.spinning");

    public static final Setting<String> MODEL_PATH = Setting.text("detector.model.path", null, "the detection network (ONNX)")
            .documentedDefault("`<models.dir>/yolox-nano-coco.onnx`");
    public static final Setting<String> MODEL_FAMILY = Setting.text("detector.model.family", "yolox",
            "the network's output format").requiring(v -> Arrays.stream(ModelFamily.values())
                    .anyMatch(f -> f.name().equalsIgnoreCase(v.strip())), "yolox or yolov5");
    public static final Setting<String> MODEL_LABELS = Setting.text("detector.model.labels", null,
            "the label file, or megadetector").documentedDefault("`<models.dir>/coco.names`");
    public static final Setting<String> MODEL_NAME = Setting.text("detector.model.name", null,
            "as written into every FrameDetections").documentedDefault("the file's name");
    public static final Setting<String> MODEL_VERSION = Setting.text("detector.model.version", "1",
            "as written into every FrameDetections");
    public static final Setting<Integer> INPUT_SIZE = Setting.integer("detector.input.size", 640, "the network's input")
            .requiring(v -> v >= 1, "1 or more");
    public static final Setting<Double> THRESHOLD = Setting.decimal("detector.threshold", 0.2, "the confidence a box needs")
            .requiring(v -> v >= 0 && v <= 1, "between 0 and 1");
    public static final Setting<Double> NMS_IOU = Setting.decimal("detector.nms.iou", 0.45,
            "non-maximum suppression's overlap, within a category").requiring(v -> v > 0 && v <= 1, "more than 0, at most 1");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("detector.batch.size", 1, "frames per inference call")
            .requiring(v -> v >= 1, "1 or more");
    public static final Setting<Integer> DECODE_THREADS = Setting.integer("detector.decode.threads", 1,
            "JPEG decoding, ahead of inference").requiring(v -> v >= 1, "1 or more");
    public static final Setting<String> REDACTION = Setting.text("detector.redaction", "blur", "blur or restrict")
            .requiring(v -> v.strip().equalsIgnoreCase("blur") || v.strip().equalsIgnoreCase("restrict"), "blur or restrict");
    public static final Setting<Double> REPEAT_IOU = Setting.decimal("detector.repeat.iou", 0.9,
            "repeat-detection suppression: the overlap of one box").requiring(v -> v > 0 && v <= 1, "more than 0, at most 1");
    public static final Setting<Integer> REPEAT_OCCURRENCES = Setting.integer("detector.repeat.occurrences", 20,
            "repeat-detection suppression: how often it recurs").requiring(v -> v >= 2, "2 or more");
    public static final Setting<Double> REPEAT_MAX_AREA = Setting.decimal("detector.repeat.max.area", 0.2,
            "repeat-detection suppression: the largest box's share of the frame").requiring(v -> v > 0 && v <= 1, "more than 0, at most 1");
    public static final Setting<String> CATALOG_FILE = Setting.text("detector.catalog.file", null,
            "the site catalog, for a site's country (the species geofence)").documentedDefault("`ingest.catalog.file`");

    /** Every detector setting declared as a {@link Setting}; per-category thresholds and labels are read by prefix. */
    public static final List<Setting<?>> ALL = List.of(MODEL_PATH, MODEL_FAMILY, MODEL_LABELS, MODEL_NAME, MODEL_VERSION,
            INPUT_SIZE, THRESHOLD, NMS_IOU, BATCH_SIZE, DECODE_THREADS, REDACTION, REPEAT_IOU, REPEAT_OCCURRENCES,
            REPEAT_MAX_AREA, CATALOG_FILE);

    public static DetectorSettings fromConfig(TraplineConfig config) throws IOException {
        Path models = Path.of(CommonSettings.MODELS_DIR.of(config));
        Path modelPath = Optional.ofNullable(MODEL_PATH.of(config)).map(Path::of).orElse(models.resolve("yolox-nano-coco.onnx"));
        String labelsSetting = Objects.requireNonNullElse(MODEL_LABELS.of(config), models.resolve("coco.names").toString());
        LabelMap labels = labelsSetting.equalsIgnoreCase("megadetector") ? LabelMap.megadetector()
                : LabelMap.fromFile(Path.of(labelsSetting), config.withPrefix("detector.category."));
        float defaultThreshold = THRESHOLD.of(config).floatValue();
        Map<DetectionCategory, Float> thresholds = new EnumMap<>(DetectionCategory.class);
        for (DetectionCategory category : DetectionCategory.values()) {
            thresholds.put(category, (float) config.getDouble(
                    "detector.threshold." + category.name().toLowerCase(Locale.ROOT), defaultThreshold));
        }
        float minScore = thresholds.values().stream().min(Float::compare).orElse(defaultThreshold);
        String fileName = modelPath.getFileName().toString();
        DetectorModel.Settings model = new DetectorModel.Settings(modelPath,
                ModelFamily.valueOf(MODEL_FAMILY.of(config).strip().toUpperCase(Locale.ROOT)),
                INPUT_SIZE.of(config), labels, minScore, NMS_IOU.of(config).floatValue(), OnnxThreading.fromConfig(config, THREADING),
                Objects.requireNonNullElse(MODEL_NAME.of(config), fileName.replaceFirst("\\.onnx$", "")),
                MODEL_VERSION.of(config));
        return new DetectorSettings(model, thresholds, BATCH_SIZE.of(config), Redactor.Mode.parse(REDACTION.of(config)),
                new RepeatDetections.Settings(REPEAT_IOU.of(config).floatValue(), REPEAT_OCCURRENCES.of(config),
                        REPEAT_MAX_AREA.of(config).floatValue()));
    }
}
