package org.trapline.detector.species;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.species.AnimalBox;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.rollup.Place;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;

/**
 * The accuracy report: every sample of {@code camera-traps/labels.csv}, through the detector (its most
 * confident animal box; the whole frame, with no detection behind it, where it finds none) and the
 * species stage with its default settings. Per image: the answer, its rank, and whether it agrees with
 * the truth at the coarser of the two ranks (a family answer for a species truth is right if it is that
 * species' family; a species answer for a family truth is right if it lies in that family). Then the
 * share right at group level (mammal / bird / reptile: the answer's class) and at genus-or-finer level
 * (over the images whose truth is named to genus or species: the answer is at genus or species and
 * agrees). The table goes to the test output ({@code target/surefire-reports/*-output.txt}).
 *
 * <p>No file is treated specially; the stand-in is an ImageNet network on camera-trap crops, so the
 * numbers are modest, and only what is robust is asserted.
 */
class CameraTrapAccuracyReportTest {

    static TestModels models;

    @BeforeAll
    static void load() throws Exception {
        models = new TestModels();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    record Truth(String file, String group, String commonName, String scientificName) {
    }

    record Row(Truth truth, boolean wholeFrame, SpeciesResult answer, Optional<Boolean> agrees, boolean groupRight,
               Optional<Boolean> genusRight) {
    }

    @Test
    void accuracyOverEveryLabelledSample() throws Exception {
        Map<String, Taxon> truthTaxa = truthTaxa();
        List<Truth> truths = truths();
        assertEquals(25, truths.size(), "labels.csv rows");

        List<Row> rows = new ArrayList<>();
        for (Truth truth : truths) {
            BufferedImage picture = models.read(models.shared.images().resolve("camera-traps").resolve(truth.file()));
            Optional<AnimalBox> box = models.bestAnimalBox(picture);
            SpeciesResult answer = models.stage.classify(picture, List.of(box.orElse(AnimalBox.wholeFrame())), Place.UNKNOWN).get(0);
            Taxon expected = truth.scientificName().isEmpty() ? null : truthTaxa.get(truth.scientificName());
            if (!truth.scientificName().isEmpty() && expected == null) {
                throw new IllegalStateException("no higher taxa for '" + truth.scientificName() + "' in camera-trap-truth-taxa.csv");
            }
            Optional<Boolean> agrees = expected == null ? Optional.empty() : Optional.of(agrees(answer, expected));
            boolean groupRight = expected != null && answer.taxon() != null
                    && answer.taxon().at(Rank.CLASS).equals(expected.at(Rank.CLASS));
            Optional<Boolean> genusRight = expected == null || expected.rank().ordinal() > Rank.GENUS.ordinal() ? Optional.empty()
                    : Optional.of(agrees.orElse(false) && answer.rank().ordinal() <= Rank.GENUS.ordinal());
            rows.add(new Row(truth, box.isEmpty(), answer, agrees, groupRight, genusRight));
        }

        long withGroup = rows.stream().filter(r -> !r.truth().group().equals("unknown")).count();
        long groupRight = rows.stream().filter(Row::groupRight).count();
        long withGenus = rows.stream().filter(r -> r.genusRight().isPresent()).count();
        long genusRight = rows.stream().filter(r -> r.genusRight().orElse(false)).count();
        long agreeing = rows.stream().filter(r -> r.agrees().orElse(false)).count();
        long judged = rows.stream().filter(r -> r.agrees().isPresent()).count();
        print(rows, withGroup, groupRight, withGenus, genusRight, judged, agreeing);

        // what is robust: the two answers the stand-in gets right for certain, and a floor under the shares
        // (modest by design: an ImageNet network on camera-trap crops, half of them at night in infrared)
        assertTrue(rows.stream().anyMatch(r -> r.truth().file().equals("idaho-camera-traps.jpg") && r.agrees().orElse(false)));
        assertTrue(rows.stream().anyMatch(r -> r.truth().file().startsWith("mike_6b6435a8") && r.agrees().orElse(false)));
        assertTrue(groupRight >= 5, "right at group level: " + groupRight + " of " + withGroup);
        assertTrue(genusRight >= 2, "right at genus or finer: " + genusRight + " of " + withGenus);
        assertFalse(rows.stream().anyMatch(r -> r.answer().kind() == LabelKind.HUMAN || r.answer().kind() == LabelKind.VEHICLE),
                "no sample is a person or a vehicle");
    }

    /** Whether the answer agrees with the truth at the coarser of their two ranks. */
    static boolean agrees(SpeciesResult answer, Taxon truth) {
        if (answer.taxon() == null) {
            return false;
        }
        Rank coarser = answer.rank().finerThan(truth.rank()) ? truth.rank() : answer.rank();
        Optional<Taxon> a = answer.taxon().at(coarser);
        return a.isPresent() && a.equals(truth.at(coarser));
    }

    private static void print(List<Row> rows, long withGroup, long groupRight, long withGenus, long genusRight,
                              long judged, long agreeing) {
        StringBuilder out = new StringBuilder();
        out.append("\nSpecies accuracy on ../shared/images/camera-traps (stand-in: MobileNetV2 ImageNet, detector: YOLOX-nano)\n");
        out.append(String.format("%-46s | %-22s | %-34s | %-7s | %5s | %-6s | %s%n",
                "image", "truth", "answer (scientific name)", "rank", "score", "agrees", "crop"));
        for (Row r : rows) {
            SpeciesResult a = r.answer();
            String named = a.taxon() == null ? a.label() : a.label() + " (" + a.scientificName() + ")";
            out.append(String.format("%-46s | %-22s | %-34s | %-7s | %5.2f | %-6s | %s%n",
                    r.truth().file(), r.truth().scientificName().isEmpty() ? "(" + r.truth().commonName() + ")" : r.truth().scientificName(),
                    named, a.rank() == null ? a.kind().name().toLowerCase() : a.rank().key(), a.score(),
                    r.agrees().map(b -> b ? "yes" : "no").orElse("n/a"),
                    (r.wholeFrame() ? "whole frame" : "animal box") + (a.flags().isEmpty() ? "" : " " + a.flags())
                            + " top: " + a.top5().get(0).label() + String.format(" %.2f", a.top5().get(0).score())));
        }
        long onlyAnimal = rows.stream().filter(r -> r.agrees().orElse(false) && r.answer().rank() == Rank.KINGDOM).count();
        out.append(String.format("agrees with the truth at its rank: %d of %d (%d of them only as 'animal', which any animal is)%n",
                agreeing, judged, onlyAnimal));
        out.append(String.format("right at group level (mammal/bird/reptile): %d of %d = %.2f%n", groupRight, withGroup,
                groupRight / (double) withGroup));
        out.append(String.format("right at genus-or-finer level (truth named to genus or species): %d of %d = %.2f%n",
                genusRight, withGenus, genusRight / (double) withGenus));
        System.out.print(out);
    }

    private static List<Truth> truths() throws Exception {
        List<String> lines = Files.readAllLines(models.shared.cameraTrapLabels(), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        int file = header.indexOf("file");
        int group = header.indexOf("group");
        int common = header.indexOf("common_name");
        int scientific = header.indexOf("scientific_name");
        List<Truth> truths = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            truths.add(new Truth(f[file].strip(), f[group].strip(), f[common].strip(), f[scientific].strip()));
        }
        return truths;
    }

    private static Map<String, Taxon> truthTaxa() throws Exception {
        Map<String, Taxon> taxa = new HashMap<>();
        try (InputStream in = CameraTrapAccuracyReportTest.class.getResourceAsStream("camera-trap-truth-taxa.csv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(";", -1);
                taxa.put(f[0].strip(), Taxon.of(f[1], f[2], f[3], f[4], f[5]));
            }
        }
        return taxa;
    }
}
