package org.trapline.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against the code: every key the code reads is in it, and every key it lists is one
 * the code reads.
 *
 * <p>The page's keys are the backticked ones in the first column of its tables, written in full, with a
 * placeholder in capitals where a name goes ({@code identifier.species.SPECIES.matchers},
 * {@code species.geofence.country.ISO3}) and {@code .*} after a prefix that is passed through to another
 * library ({@code kafka.*}, {@code apicurio.*}: {@link Project#PASS_THROUGH}). The code's keys are those of
 * {@link Project#configurationKeys()}: literals, constants and concatenations in the main sources of every
 * module, {@code *} where the code puts a name ({@link SourceKeys}). A placeholder or {@code *} stands for one
 * segment or more, so {@code identifier.matcher.embedding.match} documents the code's
 * {@code identifier.matcher.*.match}, and {@code aggregator.age.SPECIES.juvenile.months} is read under the
 * code's prefix {@code aggregator.age.*}. Two stricter rules: a key under a pass-through prefix that Trapline
 * reads itself ({@code kafka.bootstrap.servers}) has a row of its own, not only {@code kafka.*}; and a key the
 * code builds ({@code species.threshold.*}) needs a row of its own ({@code species.threshold.RANK}), not one of
 * the keys the code reads in full beside it ({@code species.threshold.override}).
 *
 * <p>A failure names each key missing from the page with where the code reads it ({@code file:line}), and each
 * key of the page no code reads with its line (and the code's keys one segment away, a renamed key's new name).
 * A string under a configuration namespace that is no key (a file's name) goes into {@link Project#NOT_KEYS}.
 */
class ConfigurationReferenceTest {

    static final Path PAGE = Path.of("docs/configuration.md");

    /** A documented key: lower-case segments, placeholders in capitals, a pass-through prefix's {@code .*}. */
    private static final Pattern DOC_KEY = Pattern.compile("[a-z][a-z0-9-]*(?:\\.(?:[a-z0-9-]+|[A-Z][A-Z0-9]*))*(?:\\.\\*)?");
    private static final Pattern PLACEHOLDER = Pattern.compile("[A-Z][A-Z0-9]*|\\*");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");

    /** A key in the page's first column, and its line. */
    record DocKey(String key, int line) {
    }

    @Test
    void theReferenceListsEveryKeyTheCodeReadsAndNoOther() throws IOException {
        Project project = Project.get();
        List<String> problems = check(Files.readAllLines(project.root.resolve(PAGE)), project.configurationKeys());
        assertTrue(problems.isEmpty(), problems.size() + " problems in " + PAGE + " (the code's configuration namespaces: "
                + new java.util.TreeSet<>(project.configurationNamespaces()) + "):\n  " + String.join("\n  ", problems));
    }

    @Test
    void theScanSeesKeysTheCodeBuilds() {
        Map<String, List<SourceKeys.Use>> code = byKey(Project.get().configurationKeys());
        // a literal, a constant of another file, a prefix, concatenations around a name, a prefix constant, a
        // threading key, a key quoted in a message
        for (String key : List.of("detector.http.port", "kafka.bootstrap.servers", "identifier.species.*",
                "identifier.matcher.*.match", "aggregator.age.*", "aggregator.session.*.occasion1", "kafka.*",
                "species.inference.threads", "aggregator.rem.species.*.day.range.km")) {
            assertTrue(code.containsKey(key), key + " not among the keys the scan finds: " + code.keySet());
        }
        // a constant only ever appended to a prefix (RandomEncounterSettings.SPECIES) is no key of its own
        assertTrue(!code.containsKey("species.*"), () -> "species.* at " + code.get("species.*"));
        // metrics' and files' names are not keys
        assertTrue(code.keySet().stream().noneMatch(k -> k.startsWith("trapline.") || k.equals("catalog.json")), code.keySet()::toString);
    }

    @Test
    void aMissingKeyAndAnUnreadOneAreBothNamed() throws IOException {
        Project project = Project.get();
        List<String> lines = new ArrayList<>(Files.readAllLines(project.root.resolve(PAGE)));
        int row = java.util.stream.IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).startsWith("| `detector.nms.iou` |")).findFirst().orElse(-1);
        assertTrue(row >= 0, "no row of detector.nms.iou in " + PAGE);
        lines.set(row, "| `detector.nms.overlap` | `0.45` | a key no code reads |");
        List<String> problems = check(lines, project.configurationKeys());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("`detector.nms.iou` is not in the page")
                && p.contains("detector/src/main/java/org/trapline/detector/DetectorSettings.java:")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(PAGE + ":" + (row + 1) + ": `detector.nms.overlap`")), problems::toString);
        assertEquals(2, problems.size(), problems::toString);
    }

    /** What is wrong with the page (its lines) given the code's keys. */
    static List<String> check(List<String> page, List<SourceKeys.Use> codeKeys) {
        List<String> problems = new ArrayList<>();
        List<DocKey> documented = documentedKeys(page, problems);
        Map<String, List<SourceKeys.Use>> code = byKey(codeKeys);

        code.forEach((key, uses) -> {
            boolean read = uses.stream().anyMatch(SourceKeys.Use::read);
            boolean found = documented.stream().anyMatch(d -> documents(d.key(), key)
                    // a key under a pass-through prefix that Trapline reads itself has a row of its own
                    && !(read && d.key().endsWith(".*") && Project.PASS_THROUGH.containsKey(prefix(d.key())) && !d.key().equals(key))
                    // a key the code builds (species.threshold.*) is not documented by one it reads in full
                    // (species.threshold.override), but by a row of its own (species.threshold.RANK)
                    && !(key.indexOf('*') > 0 && !d.key().contains("*") && code.containsKey(d.key())));
            if (!found) {
                problems.add("`" + key + "` is not in the page; " + (read ? "read" : "named") + " at " + places(uses));
            }
        });
        for (DocKey d : documented) {
            if (code.keySet().stream().noneMatch(key -> documents(d.key(), key))) {
                problems.add(PAGE + ":" + d.line() + ": `" + d.key() + "`, which no code reads"
                        + nearest(d.key(), code.keySet()));
            }
        }
        Project.PASS_THROUGH.forEach((prefix, to) -> {
            if (documented.stream().noneMatch(d -> d.key().equals(prefix + "*"))) {
                problems.add("`" + prefix + "*` is not in the page: the code passes the keys under " + prefix + " to " + to);
            }
            if (!code.containsKey(prefix + "*")) {
                problems.add("Project.PASS_THROUGH names " + prefix + ", but no code reads that prefix");
            }
        });
        return problems;
    }

    /** The keys in the first column of the page's tables. */
    static List<DocKey> documentedKeys(List<String> page, List<String> problems) {
        List<DocKey> keys = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            String line = page.get(i);
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| key |")) {
                continue;
            }
            Matcher cell = Pattern.compile("^\\|((?:[^|`]|`[^`]*`)*)\\|").matcher(line);
            if (!cell.find()) {
                problems.add(PAGE + ":" + (i + 1) + ": a table row without a first column");
                continue;
            }
            Matcher key = BACKTICKED.matcher(cell.group(1));
            boolean any = false;
            while (key.find()) {
                any = true;
                String k = key.group(1).trim();
                if (DOC_KEY.matcher(k).matches() && k.indexOf('.') > 0) {
                    keys.add(new DocKey(k, i + 1));
                } else {
                    problems.add(PAGE + ":" + (i + 1) + ": `" + k + "` in the key column is not a key"
                            + (k.startsWith(".") ? " (write each key in full, so that a search for it finds its row)" : ""));
                }
            }
            if (!any) {
                problems.add(PAGE + ":" + (i + 1) + ": no `key` in the first column");
            }
        }
        return keys;
    }

    /**
     * Whether the documented key (placeholders in capitals, a prefix's {@code .*}) names the code's key
     * ({@code *} where the code puts a name): one of them, read as a pattern, matches the other.
     */
    static boolean documents(String documented, String code) {
        return pattern(code, Pattern.compile("\\*")).matcher(documented).matches()
                || pattern(documented, PLACEHOLDER).matcher(code).matches();
    }

    private static Pattern pattern(String key, Pattern wildcard) {
        StringBuilder regex = new StringBuilder();
        Matcher m = wildcard.matcher(key);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(key.substring(at, m.start()))).append(".+");
            at = m.end();
        }
        regex.append(Pattern.quote(key.substring(at)));
        return Pattern.compile(regex.toString());
    }

    private static String prefix(String key) {
        return key.substring(0, key.length() - 1);
    }

    static Map<String, List<SourceKeys.Use>> byKey(List<SourceKeys.Use> uses) {
        return uses.stream().collect(Collectors.groupingBy(SourceKeys.Use::key, TreeMap::new, Collectors.toList()));
    }

    private static String places(List<SourceKeys.Use> uses) {
        Map<String, SourceKeys.Use> byFile = new LinkedHashMap<>();
        uses.stream().sorted((a, b) -> Boolean.compare(b.read(), a.read())).forEach(u -> byFile.putIfAbsent(u.file(), u));
        String shown = byFile.values().stream().limit(3).map(SourceKeys.Use::where).collect(Collectors.joining(", "));
        return byFile.size() > 3 ? shown + " and " + (byFile.size() - 3) + " more files" : shown;
    }

    /** The code's keys one segment away from the documented key (one changed, added or left out): a renamed key. */
    private static String nearest(String documented, java.util.Set<String> code) {
        List<String> near = code.stream().filter(k -> segmentsApart(documented.split("\\."), k.split("\\.")) <= 1).limit(8).toList();
        return near.isEmpty() ? "" : " (the code reads " + String.join(", ", near) + ")";
    }

    /** The edit distance of two keys counted in segments. */
    private static int segmentsApart(String[] a, String[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int same = a[i - 1].equals(b[j - 1]) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + same);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length];
    }
}
