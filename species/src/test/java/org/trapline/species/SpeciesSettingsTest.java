package org.trapline.species;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;
import org.trapline.inference.pixels.InputLayout;
import org.trapline.inference.pixels.Normalisation;
import org.trapline.species.rollup.Place;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;
import org.trapline.localstack.samples.SharedData;

class SpeciesSettingsTest {

    static final Path MODELS = SharedData.locate().models();

    @Test
    void theDefaultsAreTheStandIn() throws Exception {
        SpeciesSettings s = SpeciesSettings.fromConfig(TraplineConfig.of(Map.of("models.dir", MODELS.toString())));
        assertEquals(MODELS.resolve("mobilenetv2-12-int8-features.onnx"), s.model().modelPath());
        assertEquals("output", s.model().outputName());
        assertEquals(224, s.model().inputSize());
        assertEquals(InputLayout.NCHW, s.model().layout());
        assertEquals(Normalisation.IMAGENET, s.model().normalisation());
        assertEquals(1000, s.labels().size());
        assertEquals("mobilenetv2-12-int8-features", s.classifier().name());
        assertEquals(0.65f, s.thresholds().at(Rank.GENUS));
        assertEquals(0f, s.crop().margin());
        assertTrue(s.crop().square());
        assertEquals(0.3, s.eventMinShare());
        assertEquals(0.8, s.eventRelativeMaxScore());
        assertTrue(s.geofence().forPlace(new Place("any", "USA")).isEmpty());
    }

    @Test
    void aSpeciesNetExportAndItsLabels() throws Exception {
        Path labels = SampleLabels.speciesNetFormatFile();
        SpeciesSettings s = SpeciesSettings.fromConfig(TraplineConfig.of(Map.ofEntries(
                Map.entry("models.dir", MODELS.toString()),
                Map.entry("species.model.path", "/models/speciesnet-v4.0.1a.onnx"),
                Map.entry("species.model.output", "first"),
                Map.entry("species.labels.format", "speciesnet"),
                Map.entry("species.labels.path", labels.toString()),
                Map.entry("species.input.size", "480"),
                Map.entry("species.input.layout", "nhwc"),
                Map.entry("species.input.normalisation", "unit"),
                Map.entry("species.crop.square", "false"),
                Map.entry("species.threshold", "0.6"),
                Map.entry("species.threshold.species", "0.8"),
                Map.entry("species.geofence.country.usa", "Puma concolor, Lynx"),
                Map.entry("species.geofence.site.north", "Canis latrans"))));
        assertEquals(16, s.labels().size());
        assertEquals(480, s.model().inputSize());
        assertEquals("first", s.model().outputName());
        assertEquals(InputLayout.NHWC, s.model().layout());
        assertEquals(Normalisation.UNIT, s.model().normalisation());
        assertFalse(s.crop().square());
        assertEquals("speciesnet-v4.0.1a", s.classifier().name());
        assertEquals(0.8f, s.thresholds().at(Rank.SPECIES));
        assertEquals(0.6f, s.thresholds().at(Rank.FAMILY));
        Taxon bobcat = Taxon.of("mammalia", "carnivora", "felidae", "lynx", "rufus");
        assertTrue(s.geofence().forPlace(new Place("south", "USA")).orElseThrow().knows(bobcat));
        assertFalse(s.geofence().forPlace(new Place("north", "USA")).orElseThrow().knows(bobcat), "the site's own list wins");
    }

    @Test
    void aWrongSettingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SpeciesSettings.fromConfig(TraplineConfig.of(Map.of(
                "models.dir", MODELS.toString(), "species.labels.format", "csv"))));
        assertThrows(IllegalArgumentException.class, () -> SpeciesSettings.fromConfig(TraplineConfig.of(Map.of(
                "models.dir", MODELS.toString(), "species.threshold.genus", "1.5"))));
    }
}
