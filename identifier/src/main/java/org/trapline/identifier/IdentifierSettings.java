package org.trapline.identifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.trapline.config.CommonSettings;
import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;
import org.trapline.identifier.decide.Thresholds;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.identifier.match.EmbeddingModel;
import org.trapline.identifier.match.LocalFeatureMatcher;
import org.trapline.inference.onnx.OnnxThreading;
import org.trapline.species.SpeciesSettings;
import org.trapline.species.taxonomy.Taxon;

/**
 * The identifier's configuration. Each key of one value is declared below once, as a {@link Setting} with its
 * default, what it means and the values it takes ({@link #ALL}; docs/configuration.md is the reference, checked
 * against the declarations). Read under a prefix, by the rules here:
 *
 * <pre>
 * identifier.species.NAME.matchers           NAME is marked, re-identified with these matchers; NAME its scientific
 *                                            name as the classifier names it (in any case, words joined by '.',
 *                                            '-', '_' or a space: puma-concolor), its genus, family, order or class
 *                                            (the most specific rule wins), or the detector's label where no
 *                                            classifier named it, e.g. identifier.species.manta.matchers=local-features
 * identifier.species.NAME.mode               marked | unmarked: a rule without matchers (unmarked: a species of a
 *                                            marked genus whose animals cannot be told apart)
 * identifier.site.SITE.matchers              per site: which of the species' matchers decide there (a subset)
 * identifier.matcher.MATCHER.match, .review  embedding 0.92 / 0.80 (cosine similarity); local-features 30 / 8
 *                                            (RANSAC inliers)
 * identifier.embedding.*threads, .spinning   the embedding network's threading ({@link OnnxThreading})
 * </pre>
 */
public record IdentifierSettings(List<String> defaultMatchers, Map<String, List<String>> matchersBySpecies,
                                 Map<String, Boolean> markedByName, boolean markedByDefault,
                                 Map<String, List<String>> matchersBySite,
                                 Map<String, Thresholds> thresholds, EmbeddingModel.Settings embedding,
                                 String index, int candidates, int maxReferences, float cropMargin, Duration sequenceGap,
                                 int maxEventVotes, double eventMinShare, double eventRelativeMaxScore) {

    /** The embedding network's threading keys: predictors, ONNX Runtime's threads inside one inference, spinning. */
    public static final OnnxThreading.Keys EMBEDDING_THREADING = new OnnxThreading.Keys("identifier.embedding.inference.threads",
            "identifier.embedding.intra.op.threads", "identifier.embedding.intra.op.spinning");

    public static final String EMBEDDING = "embedding";
    public static final String LOCAL_FEATURES = "local-features";

    public static final Setting<String> DEFAULT_MODE = Setting.text("identifier.default.mode", "unmarked",
            "what a species no rule names is: unmarked (counted, never re-identified) or marked");
    public static final Setting<String> MATCHERS = Setting.text("identifier.matchers", EMBEDDING,
            "comma list: a marked species' matchers where its rule names none");
    public static final Setting<String> EMBEDDING_MODEL_PATH = Setting.text("identifier.embedding.model.path", null,
            "the embedding network (ONNX)").documentedDefault("`<models.dir>/mobilenetv2-12-int8-features.onnx`");
    public static final Setting<Integer> EMBEDDING_INPUT_SIZE = Setting.integer("identifier.embedding.input.size", 224,
            "the embedding network's input size").requiring(v -> v >= 1, "1 or more");
    public static final Setting<String> EMBEDDING_OUTPUT = Setting.text("identifier.embedding.output", "features",
            "the embedding network's named output");
    public static final Setting<String> INDEX = Setting.text("identifier.index", "hnsw", "the gallery's index")
            .requiring(v -> List.of("hnsw", "exact").contains(v.toLowerCase(Locale.ROOT)), "hnsw or exact");
    public static final Setting<Integer> CANDIDATES = Setting.integer("identifier.candidates", 5,
            "top-k kept with a sighting for review").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Integer> REFERENCES_MAX = Setting.integer("identifier.references.max", 20,
            "reference crops kept per individual").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Double> CROP_MARGIN = Setting.decimal("identifier.crop.margin", 0.05,
            "margin around an animal's box").requiring(v -> v >= 0, "0 or more");
    public static final Setting<Duration> SEQUENCE_GAP = Setting.duration("identifier.sequence.gap", Duration.ofSeconds(60),
            "frames of a camera closer than this form one event").requiring(v -> !v.isNegative(), "0 or more");
    public static final Setting<Integer> EVENT_MAX_VOTES = Setting.integer("identifier.event.max.votes", 100,
            "species answers an event keeps for its vote").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Long> IDENTIFY_MAX_IMAGE_BYTES = Setting.longInteger("identifier.identify.max.image.bytes",
            50L * 1024 * 1024, "the largest photo POST /api/identify takes").documentedDefault("50 MB")
            .requiring(v -> v >= 1, "1 or more");
    public static final Setting<String> INGEST_URL = Setting.text("identifier.ingest.url", "http://127.0.0.1:8082",
            "where a photo to record is sent");
    public static final Setting<Boolean> RETIRE_UNMARKED = Setting.flag("identifier.retire.unmarked", true,
            "on start, retire the provisional individuals the gallery holds of species now unmarked");

    /** Every identifier setting declared as a {@link Setting}; rules per species and site are read by prefix. */
    public static final List<Setting<?>> ALL = List.of(DEFAULT_MODE, MATCHERS, EMBEDDING_MODEL_PATH, EMBEDDING_INPUT_SIZE,
            EMBEDDING_OUTPUT, INDEX, CANDIDATES, REFERENCES_MAX, CROP_MARGIN, SEQUENCE_GAP, EVENT_MAX_VOTES,
            IDENTIFY_MAX_IMAGE_BYTES, INGEST_URL, RETIRE_UNMARKED);
    private static final List<String> KNOWN = List.of(EMBEDDING, LOCAL_FEATURES);

    public static IdentifierSettings fromConfig(TraplineConfig config) {
        Path models = Path.of(CommonSettings.MODELS_DIR.of(config));
        // a key under identifier.species. or identifier.site. that names neither matchers nor a mode is a typo
        // ("…manta.matcher"): refused, rather than a species left silently unmarked
        config.withPrefix("identifier.species.").keySet().stream().filter(k -> !k.endsWith(".matchers") && !k.endsWith(".mode"))
                .findFirst().ifPresent(k -> {
                    throw new IllegalArgumentException("identifier.species." + k + " is not a setting: a species rule is "
                            + "identifier.species.NAME.matchers or identifier.species.NAME.mode");
                });
        config.withPrefix("identifier.site.").keySet().stream().filter(k -> !k.endsWith(".matchers")).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("identifier.site." + k + " is not a setting: a site rule is identifier.site.SITE.matchers");
        });
        Map<String, List<String>> bySpecies = new LinkedHashMap<>();
        config.withPrefix("identifier.species.").forEach((key, value) -> {
            if (key.endsWith(".matchers")) {
                bySpecies.put(speciesKey(key.substring(0, key.length() - ".matchers".length())), names(value));
            }
        });
        // a species' mode: marked where a rule gives it matchers or says marked, unmarked where a rule says so
        Map<String, Boolean> marked = new LinkedHashMap<>();
        bySpecies.keySet().forEach(name -> marked.put(name, true));
        config.withPrefix("identifier.species.").forEach((key, value) -> {
            if (key.endsWith(".mode")) {
                marked.put(speciesKey(key.substring(0, key.length() - ".mode".length())), mode(key, value));
            }
        });
        boolean markedByDefault = mode(DEFAULT_MODE.key(), DEFAULT_MODE.of(config));
        Map<String, List<String>> bySite = new LinkedHashMap<>();
        config.withPrefix("identifier.site.").forEach((key, value) -> {
            if (key.endsWith(".matchers")) {
                bySite.put(key.substring(0, key.length() - ".matchers".length()), names(value));
            }
        });
        Map<String, Thresholds> thresholds = Map.of(
                EMBEDDING, thresholds(config, EMBEDDING, 0.92, 0.80),
                LOCAL_FEATURES, thresholds(config, LOCAL_FEATURES, 30, 8));
        String index = INDEX.of(config).toLowerCase(Locale.ROOT);
        return new IdentifierSettings(names(MATCHERS.of(config)), bySpecies, marked, markedByDefault,
                bySite, thresholds,
                new EmbeddingModel.Settings(Optional.ofNullable(EMBEDDING_MODEL_PATH.of(config)).map(Path::of)
                        .orElse(models.resolve("mobilenetv2-12-int8-features.onnx")),
                        EMBEDDING_INPUT_SIZE.of(config), EMBEDDING_OUTPUT.of(config),
                        OnnxThreading.fromConfig(config, EMBEDDING_THREADING)),
                index, CANDIDATES.of(config), REFERENCES_MAX.of(config), CROP_MARGIN.of(config).floatValue(),
                SEQUENCE_GAP.of(config), EVENT_MAX_VOTES.of(config), SpeciesSettings.EVENT_MIN_SHARE.of(config),
                SpeciesSettings.EVENT_RELATIVE_MAX_SCORE.of(config));
    }

    /**
     * A species as configuration keys name it: lower case, its words joined by '-' whatever joined them, so
     * that "Puma concolor", "puma-concolor", "puma_concolor" and an environment variable's "puma.concolor"
     * are one species.
     */
    static String speciesKey(String species) {
        return species.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-");
    }

    /**
     * Whether the animal's species is marked: its individuals told apart, re-identified against a gallery. The most
     * specific rule among its names ({@link AnimalSpecies#ruleNames()}: itself, its genus, family, order, class)
     * decides; with none, {@code identifier.default.mode} (unmarked). An unmarked species gets no individual,
     * provisional or not: its sightings say UNMARKED and are counted by events, occupancy and density instead.
     */
    public boolean marked(AnimalSpecies species) {
        for (String name : species.ruleNames()) {
            Boolean rule = markedByName.get(speciesKey(name));
            if (rule != null) {
                return rule;
            }
        }
        return markedByDefault;
    }

    /**
     * Whether the individuals a gallery holds of {@code species} (its key: a scientific name, or a detector's label)
     * are of a species this configuration says cannot be told apart, so that they should not exist: decided as for
     * a new animal of it ({@link #marked}), with its lineage as the taxonomy gives it. Where a scientific name's
     * lineage is not known, a rule on its family, order or class could still mark it, so it counts as unmarked only
     * when no marked rule of one word is left that its own names do not account for. A detector's label has no
     * lineage, as when its animals were identified.
     */
    public boolean unmarkedGallery(String species, Optional<Taxon> lineage) {
        boolean scientific = !species.isBlank() && Character.isUpperCase(species.codePointAt(0));
        AnimalSpecies named = new AnimalSpecies(species, scientific ? species : null, lineage.orElse(null));
        if (marked(named)) {
            return false;
        }
        if (!scientific || lineage.isPresent()) {
            return true;
        }
        List<String> own = named.ruleNames().stream().map(IdentifierSettings::speciesKey).toList();
        if (own.stream().anyMatch(markedByName::containsKey)) {
            return true; // its own name's or genus' rule says unmarked, and no family's could overrule it
        }
        // only a rule of one word (a genus, family, order or class) can be a taxon above a species; a binomial's
        // rule is another species'
        return markedByName.entrySet().stream()
                .noneMatch(rule -> rule.getValue() && !own.contains(rule.getKey()) && !rule.getKey().contains("-"));
    }

    /**
     * The matchers a species ({@code AnimalSpecies.key()}: a scientific name, or a detector's label) is identified
     * with: its own rule's, else its genus' (the first word of a binomial), else {@code identifier.matchers}. Resolved
     * by name alone, so that a gallery rebuilt at start uses the same matchers as the frames that made it.
     */
    public List<String> matchersFor(String species) {
        List<String> own = matchersBySpecies.get(speciesKey(species));
        if (own != null) {
            return own;
        }
        return AnimalSpecies.genusOf(species).map(genus -> matchersBySpecies.get(speciesKey(genus))).orElse(defaultMatchers);
    }

    private static boolean mode(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "marked" -> true;
            case "unmarked" -> false;
            default -> throw new IllegalArgumentException(key + " is marked or unmarked, not '" + value + "'");
        };
    }

    /**
     * Which of the species' matchers decide at a site: all of them, unless the site names some (a site
     * whose photos suit one matcher better). Every matcher of the species still learns every reference,
     * so the gallery stays one across sites.
     */
    public List<String> decidingMatchers(String species, String site) {
        List<String> ofSpecies = matchersFor(species);
        List<String> atSite = matchersBySite.get(site);
        if (atSite == null) {
            return ofSpecies;
        }
        List<String> both = ofSpecies.stream().filter(atSite::contains).toList();
        return both.isEmpty() ? ofSpecies : both;
    }

    /** Whether any species uses the embedding network (then it is loaded). */
    public boolean usesEmbedding() {
        // the default matchers serve species marked without a list of their own (by default, or by a mode rule)
        boolean defaultsUsed = markedByDefault || markedByName.entrySet().stream()
                .anyMatch(rule -> rule.getValue() && !matchersBySpecies.containsKey(rule.getKey()));
        return defaultsUsed && defaultMatchers.contains(EMBEDDING)
                || matchersBySpecies.values().stream().anyMatch(m -> m.contains(EMBEDDING));
    }

    public LocalFeatureMatcher.Settings localFeatures() {
        return LocalFeatureMatcher.Settings.defaults();
    }

    private static Thresholds thresholds(TraplineConfig config, String matcher, double match, double review) {
        return new Thresholds((float) config.getDouble("identifier.matcher." + matcher + ".match", match),
                (float) config.getDouble("identifier.matcher." + matcher + ".review", review));
    }

    private static List<String> names(String list) {
        List<String> names = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String name : names) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown matcher '" + name + "' (known: " + KNOWN + ")");
            }
        }
        return names;
    }
}
