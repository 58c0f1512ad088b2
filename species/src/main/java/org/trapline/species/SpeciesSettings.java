package org.trapline.species;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.trapline.config.TraplineConfig;
import org.trapline.inference.crop.BoxCrop;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;
import org.trapline.species.event.EventLabels;
import org.trapline.species.model.ClassifierModel;
import org.trapline.species.result.ClassifierInfo;
import org.trapline.species.rollup.AllowList;
import org.trapline.species.rollup.Geofence;
import org.trapline.species.rollup.Thresholds;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Rank;

/**
 * The species stage's configuration, read from Trapline's configuration file plus environment:
 *
 * <pre>
 * species.enabled                    auto: on when the classifier's file is there (the stand-in, in ../shared),
 *                                    true: on (refuses to start without it), false: off (nothing loaded)
 * models.dir                         ../shared/models
 * species.model.path                 &lt;models.dir&gt;/mobilenetv2-12-int8-features.onnx
 * species.model.output               output: the output holding the class scores ("first": the first output)
 * species.model.name, .version       as written into every classification (the file's name, "1")
 * species.model.softmax              true (false when the model's output already is probabilities)
 * species.input.size                 224 (SpeciesNet: 480)
 * species.input.layout               nchw | nhwc (SpeciesNet's Keras export: nhwc)
 * species.input.normalisation        imagenet | unit (SpeciesNet: unit, values / 255)
 * species.labels.format              mapped | speciesnet
 * species.labels.path                &lt;models.dir&gt;/imagenet-labels.txt: the label list, or SpeciesNet's labels file
 * species.labels.mapping             mapped only: the mapping file; by default the shipped ImageNet mapping
 * species.crop.margin                0: a fraction of the box's longer side added on each side
 * species.crop.square                true (false: the box itself, stretched, as SpeciesNet's code feeds it)
 * species.batch.size                 16 crops per inference call (1 for a model with a fixed batch dimension)
 * species.inference.threads          1 (predictors); species.intra.op.threads (cores / inference threads)
 * species.intra.op.spinning          false: ONNX Runtime's threads sleep when idle, leaving the cores to the
 *                                    detector's network, decoding and Kafka, which share them
 *                                    (the three read by {@link OnnxThreading}, as every network's are)
 * species.threshold                  0.65 at every rank, or per rank: species.threshold.species, .genus,
 *                                    .family, .order, .class, .kingdom
 * species.threshold.disagreement     0.5: a blank / human / vehicle answer against the detector is flagged
 * species.threshold.override         0.99: ... and replaces the detector's category
 * species.geofence.site.SITE         allow-list for a site: a file (one name a line) or names separated by commas
 * species.geofence.country.ISO3      allow-list for every site in a country (a site's own list wins)
 * species.event.min.share            0.3: a second species in one event needs this share of its score
 * species.event.relative.max.score   0.8: a lighter one's answers take the name of a species of their own
 *                                    family in the event only when each is scored under this
 * </pre>
 */
public record SpeciesSettings(ClassifierModel.Settings model, ClassifierInfo classifier, LabelMap labels, BoxCrop crop,
                              Thresholds thresholds, Geofence geofence, double eventMinShare,
                              double eventRelativeMaxScore) {

    /** The classifier's threading keys: predictors, ONNX Runtime's threads inside one inference, spinning. */
    public static final OnnxThreading.Keys THREADING = new OnnxThreading.Keys("species.inference.threads",
            "species.intra.op.threads", "species.intra.op.spinning");

    /**
     * The settings if the stage is on ({@code species.enabled}): empty when it is off, or when it is on
     * only if its classifier is there ({@code auto}, the default) and the file is not.
     *
     * @throws IllegalArgumentException {@code species.enabled=true} and no classifier at the path, or a
     *                                  value other than true, false or auto
     */
    public static Optional<SpeciesSettings> ifEnabled(TraplineConfig config) throws IOException {
        String enabled = config.get("species.enabled", "auto").strip().toLowerCase(Locale.ROOT);
        Path modelPath = modelPath(config);
        return switch (enabled) {
            case "false" -> Optional.empty();
            case "auto" -> Files.isRegularFile(modelPath) ? Optional.of(fromConfig(config)) : Optional.empty();
            case "true" -> {
                if (!Files.isRegularFile(modelPath)) {
                    throw new IllegalArgumentException("species.enabled=true but there is no classifier at " + modelPath
                            + " (species.model.path)");
                }
                yield Optional.of(fromConfig(config));
            }
            default -> throw new IllegalArgumentException("species.enabled must be true, false or auto, not '" + enabled + "'");
        };
    }

    /** The classifier's file: {@code species.model.path}, else the stand-in under {@code models.dir}. */
    public static Path modelPath(TraplineConfig config) {
        return config.find("species.model.path").map(Path::of)
                .orElse(Path.of(config.get("models.dir", "../shared/models")).resolve("mobilenetv2-12-int8-features.onnx"));
    }

    public static SpeciesSettings fromConfig(TraplineConfig config) throws IOException {
        Path modelPath = modelPath(config);
        ClassifierModel.Settings model = new ClassifierModel.Settings(modelPath,
                config.get("species.model.output", "output"),
                config.getInt("species.input.size", 224),
                InputLayout.parse(config.get("species.input.layout", "nchw")),
                Normalisation.parse(config.get("species.input.normalisation", "imagenet")),
                config.getBoolean("species.model.softmax", true),
                config.getInt("species.batch.size", 16),
                OnnxThreading.fromConfig(config, THREADING));
        ClassifierInfo classifier = new ClassifierInfo(
                config.get("species.model.name", modelPath.getFileName().toString().replaceFirst("\\.onnx$", "")),
                config.get("species.model.version", "1"));

        LabelMap labels = labels(config);

        BoxCrop crop = new BoxCrop((float) config.getDouble("species.crop.margin", 0.0),
                config.getBoolean("species.crop.square", true));

        float uniform = (float) config.getDouble("species.threshold", Thresholds.SPECIESNET);
        Map<Rank, Float> ranks = new EnumMap<>(Rank.class);
        for (Rank rank : Rank.values()) {
            ranks.put(rank, (float) config.getDouble("species.threshold." + rank.key(), uniform));
        }
        Thresholds thresholds = new Thresholds(ranks,
                (float) config.getDouble("species.threshold.disagreement", 0.5),
                (float) config.getDouble("species.threshold.override", 0.99));

        Map<String, AllowList> sites = new HashMap<>();
        for (var entry : config.withPrefix("species.geofence.site.").entrySet()) {
            sites.put(entry.getKey(), AllowList.fromSetting(entry.getValue(), labels));
        }
        Map<String, AllowList> countries = new HashMap<>();
        for (var entry : config.withPrefix("species.geofence.country.").entrySet()) {
            countries.put(entry.getKey().toUpperCase(Locale.ROOT), AllowList.fromSetting(entry.getValue(), labels));
        }
        return new SpeciesSettings(model, classifier, labels, crop, thresholds, new Geofence(sites, countries),
                config.getDouble("species.event.min.share", EventLabels.DEFAULT_MIN_SHARE),
                config.getDouble("species.event.relative.max.score", EventLabels.DEFAULT_RELATIVE_MAX_SCORE));
    }

    /**
     * The classifier's labels with their taxonomy ({@code species.labels.*}): what the species stage names animals
     * with, and what the identifier looks a gallery's species up in to find its family, order and class.
     */
    public static LabelMap labels(TraplineConfig config) throws IOException {
        Path models = Path.of(config.get("models.dir", "../shared/models"));
        Path labelsPath = Path.of(config.get("species.labels.path", models.resolve("imagenet-labels.txt").toString()));
        String format = config.get("species.labels.format", "mapped").toLowerCase(Locale.ROOT);
        return switch (format) {
            case "speciesnet" -> LabelMap.speciesNet(labelsPath);
            case "mapped" -> config.find("species.labels.mapping").isPresent()
                    ? LabelMap.mapped(labelsPath, Path.of(config.require("species.labels.mapping")))
                    : LabelMap.imageNet(labelsPath);
            default -> throw new IllegalArgumentException("species.labels.format must be mapped or speciesnet, not '" + format + "'");
        };
    }

}
