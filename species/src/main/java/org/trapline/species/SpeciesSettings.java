package org.trapline.species;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.trapline.config.CommonSettings;
import org.trapline.config.Setting;
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
 * The species stage's configuration. Each key of one value is declared below once, as a {@link Setting} with its
 * default, what it means and the values it takes ({@link #ALL}; docs/configuration.md is the reference, checked
 * against the declarations). Read under a prefix, here:
 *
 * <pre>
 * species.threshold.RANK             per rank (species, genus, family, order, class, kingdom); species.threshold else
 * species.geofence.site.SITE         allow-list for a site: a file (one name a line) or names separated by commas
 * species.geofence.country.ISO3      allow-list for every site in a country (a site's own list wins)
 * species.*threads, .spinning        the classifier's threading ({@link OnnxThreading}, as every network's)
 * </pre>
 */
public record SpeciesSettings(ClassifierModel.Settings model, ClassifierInfo classifier, LabelMap labels, BoxCrop crop,
                              Thresholds thresholds, Geofence geofence, double eventMinShare,
                              double eventRelativeMaxScore) {

    /** The classifier's threading keys: predictors, ONNX Runtime's threads inside one inference, spinning. */
    public static final OnnxThreading.Keys THREADING = new OnnxThreading.Keys("species.inference.threads",
            "species.intra.op.threads", "species.intra.op.spinning");

    public static final Setting<String> ENABLED = Setting.text("species.enabled", "auto",
            "auto: on when the classifier's file is there; true: on; false: off")
            .requiring(v -> List.of("auto", "true", "false").contains(v.strip().toLowerCase(Locale.ROOT)), "true, false or auto");
    public static final Setting<String> MODEL_PATH = Setting.text("species.model.path", null, "the classifier (ONNX)")
            .documentedDefault("`<models.dir>/mobilenetv2-12-int8-features.onnx`");
    public static final Setting<String> MODEL_OUTPUT = Setting.text("species.model.output", "output",
            "the output holding the class scores");
    public static final Setting<String> MODEL_NAME = Setting.text("species.model.name", null,
            "as written into every classification").documentedDefault("the file's name");
    public static final Setting<String> MODEL_VERSION = Setting.text("species.model.version", "1",
            "as written into every classification");
    public static final Setting<Boolean> MODEL_SOFTMAX = Setting.flag("species.model.softmax", true,
            "false when the model's output already is probabilities");
    public static final Setting<Integer> INPUT_SIZE = Setting.integer("species.input.size", 224, "the classifier's input")
            .requiring(v -> v >= 1, "1 or more");
    public static final Setting<String> INPUT_LAYOUT = Setting.text("species.input.layout", "nchw", "nchw or nhwc");
    public static final Setting<String> INPUT_NORMALISATION = Setting.text("species.input.normalisation", "imagenet",
            "imagenet or unit");
    public static final Setting<String> LABELS_FORMAT = Setting.text("species.labels.format", "mapped", "mapped or speciesnet")
            .requiring(v -> List.of("mapped", "speciesnet").contains(v.toLowerCase(Locale.ROOT)), "mapped or speciesnet");
    public static final Setting<String> LABELS_PATH = Setting.text("species.labels.path", null,
            "the label list, or SpeciesNet's labels file").documentedDefault("`<models.dir>/imagenet-labels.txt`");
    public static final Setting<String> LABELS_MAPPING = Setting.text("species.labels.mapping", null,
            "mapped only: the mapping file").documentedDefault("the shipped ImageNet mapping");
    public static final Setting<Double> CROP_MARGIN = Setting.decimal("species.crop.margin", 0.0,
            "a fraction of the box's longer side added on each side").requiring(v -> v >= 0, "0 or more");
    public static final Setting<Boolean> CROP_SQUARE = Setting.flag("species.crop.square", true,
            "false: the box itself, stretched");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("species.batch.size", 16, "crops per inference call")
            .requiring(v -> v >= 1, "1 or more");
    // SpeciesNet's threshold, as the decimal it is written as (Thresholds.SPECIESNET is its float)
    public static final Setting<Double> THRESHOLD = Setting.decimal("species.threshold",
            Double.parseDouble(Float.toString(Thresholds.SPECIESNET)), "the rollup's threshold at every rank")
            .requiring(v -> v >= 0 && v <= 1, "between 0 and 1");
    public static final Setting<Double> THRESHOLD_DISAGREEMENT = Setting.decimal("species.threshold.disagreement", 0.5,
            "a blank / human / vehicle answer against the detector is flagged").requiring(v -> v >= 0 && v <= 1, "between 0 and 1");
    public static final Setting<Double> THRESHOLD_OVERRIDE = Setting.decimal("species.threshold.override", 0.99,
            "... and replaces the detector's category").requiring(v -> v >= 0 && v <= 1, "between 0 and 1");
    public static final Setting<Double> EVENT_MIN_SHARE = Setting.decimal("species.event.min.share", EventLabels.DEFAULT_MIN_SHARE,
            "a second species in one event needs this share of its score").requiring(v -> v >= 0 && v <= 1, "between 0 and 1");
    public static final Setting<Double> EVENT_RELATIVE_MAX_SCORE = Setting.decimal("species.event.relative.max.score",
            EventLabels.DEFAULT_RELATIVE_MAX_SCORE, "a lighter species' answers take a heavier one's name only under this")
            .requiring(v -> v >= 0 && v <= 1, "between 0 and 1");

    /** Every species-stage setting declared as a {@link Setting}; per-rank thresholds and geofences are read by prefix. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, MODEL_PATH, MODEL_OUTPUT, MODEL_NAME, MODEL_VERSION,
            MODEL_SOFTMAX, INPUT_SIZE, INPUT_LAYOUT, INPUT_NORMALISATION, LABELS_FORMAT, LABELS_PATH, LABELS_MAPPING,
            CROP_MARGIN, CROP_SQUARE, BATCH_SIZE, THRESHOLD, THRESHOLD_DISAGREEMENT, THRESHOLD_OVERRIDE, EVENT_MIN_SHARE,
            EVENT_RELATIVE_MAX_SCORE);

    /**
     * The settings if the stage is on ({@code species.enabled}): empty when it is off, or when it is on
     * only if its classifier is there ({@code auto}, the default) and the file is not.
     *
     * @throws IllegalArgumentException {@code species.enabled=true} and no classifier at the path, or a
     *                                  value other than true, false or auto
     */
    public static Optional<SpeciesSettings> ifEnabled(TraplineConfig config) throws IOException {
        String enabled = ENABLED.of(config).strip().toLowerCase(Locale.ROOT);
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
        return Optional.ofNullable(MODEL_PATH.of(config)).map(Path::of)
                .orElse(Path.of(CommonSettings.MODELS_DIR.of(config)).resolve("mobilenetv2-12-int8-features.onnx"));
    }

    public static SpeciesSettings fromConfig(TraplineConfig config) throws IOException {
        Path modelPath = modelPath(config);
        ClassifierModel.Settings model = new ClassifierModel.Settings(modelPath,
                MODEL_OUTPUT.of(config), INPUT_SIZE.of(config), InputLayout.parse(INPUT_LAYOUT.of(config)),
                Normalisation.parse(INPUT_NORMALISATION.of(config)), MODEL_SOFTMAX.of(config), BATCH_SIZE.of(config),
                OnnxThreading.fromConfig(config, THREADING));
        ClassifierInfo classifier = new ClassifierInfo(
                Objects.requireNonNullElse(MODEL_NAME.of(config), modelPath.getFileName().toString().replaceFirst("\\.onnx$", "")),
                MODEL_VERSION.of(config));

        LabelMap labels = labels(config);

        BoxCrop crop = new BoxCrop(CROP_MARGIN.of(config).floatValue(), CROP_SQUARE.of(config));

        float uniform = THRESHOLD.of(config).floatValue();
        Map<Rank, Float> ranks = new EnumMap<>(Rank.class);
        for (Rank rank : Rank.values()) {
            ranks.put(rank, (float) config.getDouble("species.threshold." + rank.key(), uniform));
        }
        Thresholds thresholds = new Thresholds(ranks,
                THRESHOLD_DISAGREEMENT.of(config).floatValue(), THRESHOLD_OVERRIDE.of(config).floatValue());

        Map<String, AllowList> sites = new HashMap<>();
        for (var entry : config.withPrefix("species.geofence.site.").entrySet()) {
            sites.put(entry.getKey(), AllowList.fromSetting(entry.getValue(), labels));
        }
        Map<String, AllowList> countries = new HashMap<>();
        for (var entry : config.withPrefix("species.geofence.country.").entrySet()) {
            countries.put(entry.getKey().toUpperCase(Locale.ROOT), AllowList.fromSetting(entry.getValue(), labels));
        }
        return new SpeciesSettings(model, classifier, labels, crop, thresholds, new Geofence(sites, countries),
                EVENT_MIN_SHARE.of(config), EVENT_RELATIVE_MAX_SCORE.of(config));
    }

    /**
     * The classifier's labels with their taxonomy ({@code species.labels.*}): what the species stage names animals
     * with, and what the identifier looks a gallery's species up in to find its family, order and class.
     */
    public static LabelMap labels(TraplineConfig config) throws IOException {
        Path models = Path.of(CommonSettings.MODELS_DIR.of(config));
        Path labelsPath = Path.of(Objects.requireNonNullElse(LABELS_PATH.of(config), models.resolve("imagenet-labels.txt").toString()));
        String mapping = LABELS_MAPPING.of(config);
        return switch (LABELS_FORMAT.of(config).toLowerCase(Locale.ROOT)) {
            case "speciesnet" -> LabelMap.speciesNet(labelsPath);
            default -> mapping != null ? LabelMap.mapped(labelsPath, Path.of(mapping)) : LabelMap.imageNet(labelsPath);
        };
    }

}
