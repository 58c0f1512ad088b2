package org.trapline.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration of a Trapline service: a properties file, overridden by environment variables.
 *
 * <p>An environment variable {@code TRAPLINE_KAFKA_BOOTSTRAP_SERVERS} overrides the key
 * {@code kafka.bootstrap.servers}: drop the prefix, lower-case, underscores become dots. Keys under
 * {@code kafka.} are passed to every Kafka client with the prefix removed (security settings included);
 * keys under {@code apicurio.} are passed to the schema registry serdes as they are.
 */
public final class TraplineConfig {

    public static final String ENV_PREFIX = "TRAPLINE_";
    /** Environment variable naming the configuration file. */
    public static final String CONFIG_FILE_ENV = "TRAPLINE_CONFIG";

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String REGISTRY_URL = "registry.url";
    public static final String DATA_DIR = "data.dir";
    public static final String REPLICATION_FACTOR = "topics.replication.factor";
    public static final String PARTITIONS = "topics.partitions";

    private final Map<String, String> values;

    private TraplineConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Configuration from the given values only (tests, embedded runs). */
    public static TraplineConfig of(Map<String, String> values) {
        return new TraplineConfig(values);
    }

    /**
     * The file (if any) overridden by the environment. The file is {@code file} when given, else the one
     * named by {@value #CONFIG_FILE_ENV}; with neither, the environment alone.
     */
    public static TraplineConfig load(Path file, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>();
        Path source = file != null ? file
                : Optional.ofNullable(environment.get(CONFIG_FILE_ENV)).map(Path::of).orElse(null);
        if (source != null) {
            values.putAll(readProperties(source));
        }
        values.putAll(fromEnvironment(environment));
        return new TraplineConfig(values);
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_FILE_ENV)) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                values.put(key, value);
            }
        });
        return values;
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }

    /** A copy with these values added or replaced. */
    public TraplineConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new TraplineConfig(merged);
    }

    public TraplineConfig with(String key, String value) {
        return with(Map.of(key, value));
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String get(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public String require(String key) {
        return find(key).orElseThrow(() -> new NoSuchElementException(
                "missing configuration '" + key + "' (set it in the configuration file or as "
                        + ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_') + ")"));
    }

    public int getInt(String key, int defaultValue) {
        return find(key).map(v -> parse(key, v, Integer::parseInt)).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return find(key).map(v -> parse(key, v, Long::parseLong)).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        return find(key).map(v -> parse(key, v, Double::parseDouble)).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return find(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("configuration '" + key + "' must be true or false, not '" + v + "'");
        }).orElse(defaultValue);
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration '" + key + "' must be a number, not '" + value + "'", e);
        }
    }

    /** The values under {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> selected = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                selected.put(key.substring(prefix.length()), value);
            }
        });
        return selected;
    }

    public String bootstrapServers() {
        return require(BOOTSTRAP_SERVERS);
    }

    /** Base URL of the schema registry, e.g. {@code http://127.0.0.1:8081}. */
    public String registryUrl() {
        String url = require(REGISTRY_URL);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Where this service keeps local state (Kafka Streams stores, blobs of the embedded default). */
    public Path dataDir() {
        return Path.of(get(DATA_DIR, ".trapline"));
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        // never print secrets: passwords, JAAS configurations and keys stay out of logs
        Map<String, String> shown = new TreeMap<>();
        values.forEach((key, value) -> shown.put(key, isSecret(key) ? "****" : value));
        return shown.toString();
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.endsWith(".key") || k.contains("token");
    }
}
