package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.trapline.aggregator.AggregatorSettings;
import org.trapline.auth.ApiKeys;
import org.trapline.config.CommonSettings;
import org.trapline.config.Setting;
import org.trapline.detector.DetectorSettings;
import org.trapline.blob.BlobStores;
import org.trapline.identifier.IdentifierSettings;
import org.trapline.ingest.IngestComponents;
import org.trapline.species.SpeciesSettings;

/**
 * The settings declared once ({@link Setting}) against docs/configuration.md: each has a row of its own whose default
 * column is the declaration's. {@link ConfigurationReferenceTest} checks that the page and the code name the same
 * keys; this checks what the page says of them. Modules whose keys are declared so: every service's and the species stage's, save those read under a prefix.
 */
class SettingsReferenceTest {

    /** A row whose first column is one key: the key and the default column. */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`|]+(?:`, `[^`|]+)*)` \\| ((?:[^|`]|`[^`]*`)*?) \\|");

    @Test
    void everyDeclaredSettingHasARowWithItsDefault() throws IOException {
        Map<String, String> defaults = documentedDefaults(Files.readAllLines(Project.get().root.resolve(ConfigurationReferenceTest.PAGE)));
        List<Setting<?>> declared = new ArrayList<>(AggregatorSettings.ALL);
        declared.addAll(IdentifierSettings.ALL);
        declared.addAll(IngestComponents.ALL);
        declared.addAll(BlobStores.ALL);
        declared.addAll(DetectorSettings.ALL);
        declared.addAll(SpeciesSettings.ALL);
        declared.addAll(CommonSettings.ALL);
        declared.add(ApiKeys.SESSION_SECRET);
        List<String> problems = check(declared, defaults);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aWrongDefaultAndAMissingRowAreBothNamed() {
        Setting<Integer> threads = Setting.integer("aggregator.stream.threads", 2, "Kafka Streams threads");
        Setting<String> missing = Setting.text("aggregator.no.such.key", "x", "nothing");
        List<String> problems = check(List.of(threads, missing), Map.of("aggregator.stream.threads", "`1`"));
        assertEquals(List.of("aggregator.stream.threads: the page's default is `1`, the code's `2`",
                "aggregator.no.such.key: no row in " + ConfigurationReferenceTest.PAGE + " that shows its default"), problems);
    }

    static List<String> check(List<Setting<?>> settings, Map<String, String> documented) {
        List<String> problems = new ArrayList<>();
        for (Setting<?> setting : settings) {
            String shown = documented.get(setting.key());
            if (shown == null) {
                problems.add(setting.key() + ": no row in " + ConfigurationReferenceTest.PAGE + " that shows its default");
            } else if (!shown.equals(setting.documentedDefault())) {
                problems.add(setting.key() + ": the page's default is " + shown + ", the code's " + setting.documentedDefault());
            }
        }
        return problems;
    }

    /**
     * Each row's keys and defaults: one key and its default column, or keys side by side with as many defaults
     * ({@code `identifier.embedding.input.size`, `identifier.embedding.output` | `224`, `features`}), or keys that
     * share one default.
     */
    static Map<String, String> documentedDefaults(List<String> page) {
        Map<String, String> defaults = new HashMap<>();
        for (String line : page) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            List<String> keys = List.of(row.group(1).split("`, `"));
            String shown = row.group(2).strip();
            List<String> each = List.of(shown.split(", "));
            for (int i = 0; i < keys.size(); i++) {
                // one default for keys side by side is each one's
                defaults.put(keys.get(i), keys.size() == 1 || each.size() == 1 ? shown
                        : keys.size() == each.size() ? each.get(i) : null);
            }
        }
        defaults.values().removeIf(java.util.Objects::isNull);
        return defaults;
    }
}
