package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link SourceKeys} sees in a source, and what it does not. */
class SourceKeysTest {

    @TempDir
    Path root;

    @Test
    void literalsConstantsConcatenationsAndQuotedKeys() throws IOException {
        Path keys = write("a/src/main/java/x/Keys.java", """
                package x;
                public final class Keys {
                    public static final String HOST = "svc.http.host";
                    public static final String UNUSED = "svc.never.used";
                }
                """);
        Path settings = write("a/src/main/java/x/Settings.java", """
                package x;
                // "svc.in.a.comment" is no key
                final class Settings {
                    static final String PREFIX = "svc.age.";
                    private static final String PART = "part.";
                    private static final String END = ".months";
                    static void read(Config config, String name, String given) {
                        config.getInt("svc.http.port", 8080);
                        config.get(Keys.HOST, "127.0.0.1");
                        config.getDouble("svc.matcher." + name + ".match", 0.9);
                        config.withPrefix(PREFIX);
                        config.find(PREFIX + PART + name + END);
                        boolean part = name.startsWith(PART);
                        Periods.period(config, "svc.season." + name + ".period");
                        config.getInt(given + ".http.threads", 8);
                        String local = "svc.local";
                        config.get(local + ".x", "");
                        String file = name + ".json";
                        throw new IllegalArgumentException("configuration '" + PREFIX + name + ".juvenile.months' is wrong: "
                                + "see svc.other.key. Or svc.under. keys");
                    }
                }
                """);
        SourceKeys scan = SourceKeys.scan(root, List.of(keys, settings));
        Map<String, Boolean> found = new TreeMap<>();
        scan.uses().forEach(u -> found.merge(u.key(), u.read(), Boolean::logicalOr));
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("svc.http.port", true),               // a literal
                Map.entry("svc.http.host", true),               // a constant of another class; its declaration is no use
                Map.entry("svc.matcher.*.match", true),         // a name in the middle
                Map.entry("svc.age.*", true),                   // a prefix constant
                Map.entry("svc.age.part.*.months", true),       // constants around a name; PART alone is a part, no key
                Map.entry("svc.season.*.period", true),         // handed to a method with the configuration
                Map.entry("*.http.threads", true),              // a computed start: a key where it is read
                Map.entry("svc.local", false),                  // a local variable's value is seen; its use
                Map.entry("*.x", true),                         // only as a computed start
                Map.entry("svc.age.*.juvenile.months", false),  // keys quoted in messages
                Map.entry("svc.other.key", false),
                Map.entry("svc.under.*", false))), found);
        assertEquals("a/src/main/java/x/Settings.java:8", scan.uses().stream()
                .filter(u -> u.key().equals("svc.http.port")).findFirst().orElseThrow().where());
    }

    @Test
    void aDocumentedKeyNamesTheCodesPattern() {
        assertEquals(true, ConfigurationReferenceTest.documents("identifier.matcher.embedding.match", "identifier.matcher.*.match"));
        assertEquals(true, ConfigurationReferenceTest.documents("identifier.species.SPECIES.matchers", "identifier.species.*"));
        assertEquals(true, ConfigurationReferenceTest.documents("aggregator.rem.species.NAME.day.range.km", "aggregator.rem.species.*.day.range.km"));
        assertEquals(true, ConfigurationReferenceTest.documents("kafka.*", "kafka.commit.interval.ms"));
        assertEquals(true, ConfigurationReferenceTest.documents("detector.http.port", "*.http.port"));
        assertEquals(false, ConfigurationReferenceTest.documents("species.threshold", "species.threshold.*"));
        assertEquals(false, ConfigurationReferenceTest.documents("identifier.matcher.embedding.match", "identifier.matcher.*.review"));
    }

    private Path write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
