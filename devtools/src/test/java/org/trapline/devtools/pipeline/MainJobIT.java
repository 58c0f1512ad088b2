package org.trapline.devtools.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.aggregator.export.CamtrapDpExport;
import org.trapline.aggregator.export.CamtrapDpValidator;
import org.trapline.devtools.DevTrapline;
import org.trapline.localstack.process.FreePorts;
import org.trapline.localstack.process.JavaProcess;
import org.trapline.localstack.samples.SharedData;

/**
 * The README's main job, {@code trapline run --exit-when-done}, as a user runs it, on its own data directory and
 * ports, three times in a row on the same data: the first run imports the sample images, the next two import
 * nothing new (every image "already in") and print the same summary and population view. Each run exports the
 * demo site as Camtrap DP, which must validate against the standard's own schemas in {@code ../shared}: the
 * demo's site has real metadata (coordinates, time zone, country, deployments).
 */
class MainJobIT {

    @Test
    void theMainJobRunsAgainOnItsOwnDataAndGivesTheSameAnswer(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        List<String> arguments = List.of(DevTrapline.class.getName(), "run", "--exit-when-done",
                "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(FreePorts.next()),
                "--controller-port", String.valueOf(FreePorts.next()),
                "--registry-port", String.valueOf(FreePorts.next()),
                "--service-ports", String.valueOf(fourFreePorts()),
                "--export-camtrap-dp", dir.resolve("export").toString());

        String first = run(arguments, dir, 1);
        List<String> imports = importLines(first);
        assertEquals(4, imports.size(), "one line per camera folder of the samples:\n" + first);
        int images = imports.stream().mapToInt(line -> count(line, "images")).sum();
        assertTrue(images >= 40, "the sample images are imported: " + imports);
        String summary = summary(first);
        validExport(dir.resolve("export/samples-camtrap-dp.zip"));

        for (int again = 2; again <= 3; again++) {
            String output = run(arguments, dir, again);
            List<String> reimports = importLines(output);
            assertEquals(0, reimports.stream().mapToInt(line -> count(line, "images")).sum(), "nothing imported again: " + reimports);
            assertEquals(images, reimports.stream().mapToInt(line -> count(line, "already in")).sum(),
                    "every image found already in: " + reimports);
            assertEquals(summary, summary(output), "run " + again + " says what the first said");
            validExport(dir.resolve("export/samples-camtrap-dp.zip"));
        }
    }

    /** Runs the main job to completion in a process of its own; its output. */
    private static String run(List<String> arguments, Path dir, int attempt) throws Exception {
        Path log = dir.resolve("run-" + attempt + ".log");
        List<String> jvm = new ArrayList<>(Pipeline.jvmOptions());
        jvm.add(0, "-D" + SharedData.DIR_PROPERTY + "=" + SharedData.locate().root());
        JavaProcess.runToCompletion("main-job-" + attempt, jvm, arguments, dir, log, Duration.ofMinutes(12));
        String output = Files.readString(log);
        System.out.printf("--- main job, run %d ---%n%s%n", attempt, output.lines()
                .filter(line -> !line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*")).reduce((a, b) -> a + "\n" + b).orElse(""));
        return output;
    }

    /** What the user reads: from the counts table to the dashboard's address (log lines and timings left out). */
    private static String summary(String output) {
        int from = output.indexOf("\nsite ");
        int to = output.indexOf("\nDashboard: ");
        assertTrue(from >= 0 && to > from, "a summary and a population view:\n" + output);
        return output.substring(from, to).lines().filter(line -> !line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*"))
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
    }

    private static List<String> importLines(String output) {
        return output.lines().filter(line -> line.matches("^  \\S+ +\\d+ images, .*")).toList();
    }

    private static int count(String importLine, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) " + what).matcher(importLine);
        assertTrue(m.find(), importLine);
        return Integer.parseInt(m.group(1));
    }

    private static void validExport(Path zip) throws Exception {
        assertTrue(Files.exists(zip), "the main job exported the demo site: " + zip);
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(zip)))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        CamtrapDpExport.Package pkg = new CamtrapDpExport.Package(files);
        assertEquals(List.of(), CamtrapDpValidator.validate(pkg), "a valid Camtrap DP package");
        List<List<String>> deployments = CamtrapDpValidator.parseCsv(pkg.text("deployments.csv"));
        assertFalse(deployments.size() < 2, "the demo's deployments: " + deployments);
        List<List<String>> observations = CamtrapDpValidator.parseCsv(pkg.text("observations.csv"));
        assertTrue(observations.size() > 10, "the demo's sightings are observations: " + observations.size());
        int level = observations.get(0).indexOf("observationLevel");
        assertTrue(observations.stream().anyMatch(row -> row.get(level).equals("event")), "event-level observations (MaxN) too");
    }

    /** The first of four consecutive free ports, for the four services. */
    private static int fourFreePorts() {
        while (true) {
            int base = FreePorts.next();
            if (base < 65530 && !FreePorts.inUse(base + 1) && !FreePorts.inUse(base + 2) && !FreePorts.inUse(base + 3)) {
                return base;
            }
        }
    }
}
