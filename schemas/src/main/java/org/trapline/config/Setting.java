package org.trapline.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One configuration key, declared once with its default, what it means and the values it takes, as Debezium
 * declares its {@code Field}s: the settings record that reads it holds the declaration as a constant, reads it
 * only through {@link #of}, and docs/configuration.md's row of the key shows the same default
 * ({@code SettingsReferenceTest}). A value that breaks the rule is refused at start, naming the key.
 *
 * @param <T> what the value is read as
 */
public final class Setting<T> {

    private final String key;
    private final T defaultValue;
    private final String documentedDefault;
    private final String description;
    private final BiFunction<TraplineConfig, Setting<T>, T> reader;
    private final Predicate<T> rule;
    private final String ruleText;

    private Setting(String key, T defaultValue, String documentedDefault, String description,
                    BiFunction<TraplineConfig, Setting<T>, T> reader, Predicate<T> rule, String ruleText) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = defaultValue;
        this.documentedDefault = documentedDefault;
        this.description = Objects.requireNonNull(description);
        this.reader = reader;
        this.rule = rule;
        this.ruleText = ruleText;
    }

    public static Setting<String> text(String key, String defaultValue, String description) {
        return declared(key, defaultValue, description, (config, s) -> config.get(s.key, s.defaultValue));
    }

    public static Setting<Integer> integer(String key, int defaultValue, String description) {
        return declared(key, defaultValue, description, (config, s) -> config.getInt(s.key, s.defaultValue));
    }

    public static Setting<Long> longInteger(String key, long defaultValue, String description) {
        return declared(key, defaultValue, description, (config, s) -> config.getLong(s.key, s.defaultValue));
    }

    public static Setting<Double> decimal(String key, double defaultValue, String description) {
        return declared(key, defaultValue, description, (config, s) -> config.getDouble(s.key, s.defaultValue));
    }

    public static Setting<Boolean> flag(String key, boolean defaultValue, String description) {
        return declared(key, defaultValue, description, (config, s) -> config.getBoolean(s.key, s.defaultValue));
    }

    /** A duration in ISO-8601 ({@code PT60S}). */
    public static Setting<Duration> duration(String key, Duration defaultValue, String description) {
        return declared(key, defaultValue, description, (config, s) -> config.find(s.key).map(v -> {
            try {
                return Duration.parse(v.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("configuration '" + s.key + "' must be an ISO-8601 duration (PT60S), not '"
                        + v + "'", e);
            }
        }).orElse(s.defaultValue));
    }

    private static <T> Setting<T> declared(String key, T defaultValue, String description,
                                           BiFunction<TraplineConfig, Setting<T>, T> reader) {
        return new Setting<>(key, defaultValue, code(defaultValue), description, reader, v -> true, null);
    }

    /** The same key, refusing values {@code rule} does not hold for; {@code ruleText} says what it takes ("1 or more"). */
    public Setting<T> requiring(Predicate<T> rule, String ruleText) {
        return new Setting<>(key, defaultValue, documentedDefault, description, reader, this.rule.and(rule),
                this.ruleText == null ? ruleText : this.ruleText + " and " + ruleText);
    }

    /** The same key, its default described in words where it is no constant ("the HTTP host"). */
    public Setting<T> documentedDefault(String words) {
        return new Setting<>(key, defaultValue, words, description, reader, rule, ruleText);
    }

    /** The value configured, else the default; refused, naming the key, where it breaks the rule. */
    public T of(TraplineConfig config) {
        T value = reader.apply(config, this);
        if (value != null && !rule.test(value)) {
            throw new IllegalArgumentException("configuration '" + key + "' must be " + ruleText + ", not '" + value + "'");
        }
        return value;
    }

    /** The value configured, else the default; where there is neither, a precise error saying how to set it. */
    public T required(TraplineConfig config) {
        T value = of(config);
        if (value == null) {
            config.require(key); // names the key and its environment variable
        }
        return value;
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as docs/configuration.md shows it: the value in backticks, or words where it has no constant. */
    public String documentedDefault() {
        return documentedDefault;
    }

    public String description() {
        return description;
    }

    /** What a value must be ("1 or more"); null when any value of its type will do. */
    public String rule() {
        return ruleText;
    }

    @Override
    public String toString() {
        return key + " (" + documentedDefault + ")";
    }

    private static String code(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return "`" + d.longValue() + "`"; // 1.0 is shown as 1
        }
        return value == null ? "" : "`" + value + "`";
    }
}
