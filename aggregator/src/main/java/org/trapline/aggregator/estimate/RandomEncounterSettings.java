package org.trapline.aggregator.estimate;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.trapline.aggregator.estimate.RandomEncounter.DayRange;
import org.trapline.aggregator.estimate.RandomEncounter.DetectionZone;
import org.trapline.config.TraplineConfig;

/**
 * What the random encounter model needs beyond the events and effort: each species' day range and each
 * camera model's detection zone. Keys, all under {@code aggregator.rem.}:
 *
 * <table>
 * <caption>REM configuration</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code aggregator.rem.species.NAME.day.range.km}</td><td>none</td><td>the day range v of the species
 *     NAME (scientific name, see below): km an animal travels in a day. A species without one gets no
 *     density.</td></tr>
 * <tr><td>{@code aggregator.rem.species.NAME.day.range.se.km}</td><td>0</td><td>its standard error; 0 treats v
 *     as known.</td></tr>
 * <tr><td>{@code aggregator.rem.detection.radius.m}</td><td>10</td><td>the detection radius r of cameras
 *     of no configured model, metres.</td></tr>
 * <tr><td>{@code aggregator.rem.detection.radius.se.m}</td><td>0</td><td>its standard error.</td></tr>
 * <tr><td>{@code aggregator.rem.detection.angle.deg}</td><td>40</td><td>the detection angle θ (the whole
 *     arc), degrees.</td></tr>
 * <tr><td>{@code aggregator.rem.detection.angle.se.deg}</td><td>0</td><td>its standard error.</td></tr>
 * <tr><td>{@code aggregator.rem.model.MODEL.detection.radius.m}, {@code .radius.se.m}, {@code .angle.deg},
 *     {@code .angle.se.deg}</td><td>the four above</td><td>the same for cameras of the model MODEL (as
 *     the catalog names the camera's model).</td></tr>
 * </table>
 *
 * <p>The default zone, 10 m and 40°, is a placeholder so that a density can be shown at all, not a
 * measured value: a camera's effective detection zone depends on the model, its setting, the habitat and
 * the species' size, and is best measured in the field (Rowcliffe et al. 2011, Methods in Ecology and
 * Evolution 2: 464–476); the density is inversely proportional to r·(2+θ), so an error in them is the same
 * error in D.
 *
 * <p>Names in keys: a species' scientific name or a camera model, lower-cased, with spaces written as dots
 * (or underscores), e.g. {@code aggregator.rem.species.vulpes.vulpes.day.range.km=5.4}; so the environment
 * variable {@code TRAPLINE_AGGREGATOR_REM_SPECIES_VULPES_VULPES_DAY_RANGE_KM} sets the same key. Look-ups
 * normalise the name the same way ({@link #key(String)}), so {@code "Vulpes vulpes"} finds it. An unknown
 * key under {@code aggregator.rem.} is an error, so that a misspelt one is not silently ignored.
 *
 * @param dayRanges    by {@link #key(String) key} of the scientific name
 * @param defaultZone  for cameras of no configured model
 * @param zonesByModel by {@link #key(String) key} of the camera model
 */
public record RandomEncounterSettings(Map<String, DayRange> dayRanges, DetectionZone defaultZone,
                                      Map<String, DetectionZone> zonesByModel) {

    public static final String PREFIX = "aggregator.rem.";
    public static final double DEFAULT_RADIUS_M = 10;
    public static final double DEFAULT_ANGLE_DEG = 40;

    public static final RandomEncounterSettings DEFAULTS = new RandomEncounterSettings(Map.of(),
            DetectionZone.known(DEFAULT_RADIUS_M, DEFAULT_ANGLE_DEG), Map.of());

    private static final String SPECIES = "species.";
    private static final String MODEL = "model.";
    private static final String DAY_RANGE = ".day.range.km";
    private static final String DAY_RANGE_SE = ".day.range.se.km";
    private static final String[] ZONE_KEYS = {"detection.radius.m", "detection.radius.se.m", "detection.angle.deg",
        "detection.angle.se.deg"};

    public RandomEncounterSettings {
        dayRanges = Map.copyOf(dayRanges);
        zonesByModel = Map.copyOf(zonesByModel);
    }

    /** A name as keys write it: lower case, runs of spaces, underscores and dots as one dot. */
    public static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_.]+", ".");
    }

    /** The species' day range, if configured. */
    public Optional<DayRange> dayRange(String scientificName) {
        return Optional.ofNullable(dayRanges.get(key(scientificName)));
    }

    /** The zone of cameras of this model; the default zone for null or an unconfigured model. */
    public DetectionZone zone(String cameraModel) {
        return cameraModel == null ? defaultZone : zonesByModel.getOrDefault(key(cameraModel), defaultZone);
    }

    public static RandomEncounterSettings fromConfig(TraplineConfig config) {
        return fromMap(config.asMap());
    }

    /** From configuration values; only keys under {@value #PREFIX} are read. */
    public static RandomEncounterSettings fromMap(Map<String, String> config) {
        Map<String, Double> zone = new HashMap<>();
        Map<String, Map<String, Double>> models = new TreeMap<>();
        Map<String, Double> ranges = new TreeMap<>();
        Map<String, Double> rangeSes = new TreeMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (!e.getKey().startsWith(PREFIX) || e.getValue() == null || e.getValue().isBlank()) {
                continue;
            }
            String key = e.getKey();
            String rest = key.substring(PREFIX.length());
            double value = number(key, e.getValue());
            String zoneKey = zoneKey(rest);
            if (zoneKey != null && zoneKey.length() == rest.length()) {
                zone.put(zoneKey, value);
            } else if (rest.startsWith(MODEL) && zoneKey != null && rest.length() > MODEL.length() + zoneKey.length() + 1) {
                String model = key(rest.substring(MODEL.length(), rest.length() - zoneKey.length() - 1));
                models.computeIfAbsent(model, m -> new HashMap<>()).put(zoneKey, value);
            } else if (rest.startsWith(SPECIES) && rest.endsWith(DAY_RANGE_SE) && rest.length() > SPECIES.length() + DAY_RANGE_SE.length()) {
                rangeSes.put(key(rest.substring(SPECIES.length(), rest.length() - DAY_RANGE_SE.length())), value);
            } else if (rest.startsWith(SPECIES) && rest.endsWith(DAY_RANGE) && rest.length() > SPECIES.length() + DAY_RANGE.length()) {
                ranges.put(key(rest.substring(SPECIES.length(), rest.length() - DAY_RANGE.length())), value);
            } else {
                throw new IllegalArgumentException("unknown configuration '" + key + "': under " + PREFIX + " are "
                        + "species.NAME.day.range.km, species.NAME.day.range.se.km, detection.radius.m, "
                        + "detection.radius.se.m, detection.angle.deg, detection.angle.se.deg and "
                        + "model.MODEL.detection.* (NAME and MODEL lower-case, spaces as dots)");
            }
        }
        DetectionZone defaultZone = zone(zone, DEFAULTS.defaultZone(), PREFIX);
        Map<String, DetectionZone> zones = new TreeMap<>();
        models.forEach((model, values) -> zones.put(model, zone(values, defaultZone, PREFIX + MODEL + model + ".")));
        Map<String, DayRange> dayRanges = new TreeMap<>();
        for (String species : rangeSes.keySet()) {
            if (!ranges.containsKey(species)) {
                throw new IllegalArgumentException("configuration '" + PREFIX + SPECIES + species + DAY_RANGE_SE
                        + "' is set but not '" + PREFIX + SPECIES + species + DAY_RANGE + "'");
            }
        }
        ranges.forEach((species, km) -> {
            try {
                dayRanges.put(species, new DayRange(km, rangeSes.getOrDefault(species, 0.0)));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("configuration '" + PREFIX + SPECIES + species + DAY_RANGE + "': "
                        + ex.getMessage(), ex);
            }
        });
        return new RandomEncounterSettings(dayRanges, defaultZone, zones);
    }

    /** Which of the zone's keys {@code rest} ends with, or null. */
    private static String zoneKey(String rest) {
        for (String k : ZONE_KEYS) {
            if (rest.equals(k) || rest.endsWith("." + k)) {
                return k;
            }
        }
        return null;
    }

    private static DetectionZone zone(Map<String, Double> values, DetectionZone fallback, String prefix) {
        try {
            return new DetectionZone(values.getOrDefault(ZONE_KEYS[0], fallback.radiusM()),
                    values.getOrDefault(ZONE_KEYS[2], fallback.angleDeg()),
                    values.getOrDefault(ZONE_KEYS[1], fallback.radiusSeM()),
                    values.getOrDefault(ZONE_KEYS[3], fallback.angleSeDeg()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration '" + prefix + "detection.*': " + e.getMessage(), e);
        }
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration '" + key + "' must be a number, not '" + value + "'", e);
        }
    }
}
