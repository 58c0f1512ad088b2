package org.trapline.detector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import org.trapline.config.TraplineConfig;
import org.trapline.detector.model.DetectorModel;
import org.trapline.detector.model.LabelMap;
import org.trapline.detector.model.ModelFamily;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.schema.DetectionCategory;

/**
 * The detector's configuration, read from Trapline's configuration file plus environment:
 *
 * <pre>
 * models.dir                      ../shared/models
 * detector.model.path             &lt;models.dir&gt;/yolox-nano-coco.onnx
 * detector.model.family           yolox | yolov5   (yolov5 also for MegaDetector v5 exports)
 * detector.model.labels           &lt;models.dir&gt;/coco.names, or "megadetector" (animal, person, vehicle)
 * detector.model.name, .version   as written into every FrameDetections
 * detector.input.size             640
 * detector.threshold              0.2, and detector.threshold.animal / .person / .vehicle
 * detector.category.LABEL         animal | person | vehicle | none: override a class's category
 * detector.nms.iou                0.45
 * detector.inference.threads      1 (predictors); detector.intra.op.threads (cores / inference threads)
 * detector.intra.op.spinning      false: ONNX Runtime's threads sleep when idle, leaving the core to decoding
 *                                 (the three read by {@link OnnxThreading}, as every network's are)
 * detector.batch.size             1 (more only for models whose batch dimension is dynamic)
 * detector.decode.threads         1 (JPEG decoding, ahead of inference)
 * detector.redaction              blur | restrict
 * detector.repeat.iou, .occurrences, .max.area   0.9, 20, 0.2: repeat-detection suppression
 * </pre>
 */
public record DetectorSettings(DetectorModel.Settings model, Map<DetectionCategory, Float> thresholds,
                               int batchSize, Redactor.Mode redaction, RepeatDetections.Settings repeats) {

    /** The network's threading keys: predictors, ONNX Runtime's threads inside one inference, spinning. */
    public static final OnnxThreading.Keys THREADING = new OnnxThreading.Keys("detector.inference.threads",
            "detector.intra.op.threads", "detector.intra.op.spinning");

    public static DetectorSettings fromConfig(TraplineConfig config) throws IOException {
        Path models = Path.of(config.get("models.dir", "../shared/models"));
        Path modelPath = config.find("detector.model.path").map(Path::of).orElse(models.resolve("yolox-nano-coco.onnx"));
        String labelsSetting = config.get("detector.model.labels", models.resolve("coco.names").toString());
        LabelMap labels = labelsSetting.equalsIgnoreCase("megadetector") ? LabelMap.megadetector()
                : LabelMap.fromFile(Path.of(labelsSetting), config.withPrefix("detector.category."));
        float defaultThreshold = (float) config.getDouble("detector.threshold", 0.2);
        Map<DetectionCategory, Float> thresholds = new EnumMap<>(DetectionCategory.class);
        for (DetectionCategory category : DetectionCategory.values()) {
            thresholds.put(category, (float) config.getDouble(
                    "detector.threshold." + category.name().toLowerCase(Locale.ROOT), defaultThreshold));
        }
        float minScore = thresholds.values().stream().min(Float::compare).orElse(defaultThreshold);
        String fileName = modelPath.getFileName().toString();
        DetectorModel.Settings model = new DetectorModel.Settings(modelPath,
                ModelFamily.valueOf(config.get("detector.model.family", "yolox").toUpperCase(Locale.ROOT)),
                config.getInt("detector.input.size", 640), labels, minScore,
                (float) config.getDouble("detector.nms.iou", 0.45), OnnxThreading.fromConfig(config, THREADING),
                config.get("detector.model.name", fileName.replaceFirst("\\.onnx$", "")),
                config.get("detector.model.version", "1"));
        return new DetectorSettings(model, thresholds, config.getInt("detector.batch.size", 1),
                Redactor.Mode.parse(config.get("detector.redaction", "blur")),
                new RepeatDetections.Settings((float) config.getDouble("detector.repeat.iou", 0.9),
                        config.getInt("detector.repeat.occurrences", 20),
                        (float) config.getDouble("detector.repeat.max.area", 0.2)));
    }
}
