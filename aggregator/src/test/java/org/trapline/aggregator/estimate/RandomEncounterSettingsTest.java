package org.trapline.aggregator.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.trapline.aggregator.estimate.RandomEncounter.DayRange;
import org.trapline.aggregator.estimate.RandomEncounter.DetectionZone;
import org.trapline.config.TraplineConfig;

class RandomEncounterSettingsTest {

    @Test
    void defaultsWithNothingConfigured() {
        RandomEncounterSettings s = RandomEncounterSettings.fromMap(Map.of("aggregator.other", "x"));
        assertEquals(DetectionZone.known(10, 40), s.zone(null));
        assertEquals(DetectionZone.known(10, 40), s.zone("Any Model"));
        assertEquals(Optional.empty(), s.dayRange("Vulpes vulpes"));
    }

    @Test
    void speciesModelsAndDefaults() {
        RandomEncounterSettings s = RandomEncounterSettings.fromMap(Map.of(
                "aggregator.rem.species.vulpes.vulpes.day.range.km", "5.4",
                "aggregator.rem.species.vulpes.vulpes.day.range.se.km", "0.6",
                "aggregator.rem.species.Meles meles.day.range.km", "2.1",
                "aggregator.rem.detection.radius.m", "8",
                "aggregator.rem.detection.angle.se.deg", "3",
                "aggregator.rem.model.reconyx.hc600.detection.angle.deg", "42",
                "aggregator.rem.model.reconyx.hc600.detection.radius.se.m", "1.5"));
        assertEquals(Optional.of(new DayRange(5.4, 0.6)), s.dayRange("Vulpes vulpes"));
        assertEquals(Optional.of(new DayRange(5.4, 0.6)), s.dayRange("vulpes_vulpes"));
        assertEquals(Optional.of(DayRange.known(2.1)), s.dayRange("Meles  meles"));
        assertEquals(new DetectionZone(8, 40, 0, 3), s.zone(null));
        // a model's zone: what it sets, the rest from the default zone
        assertEquals(new DetectionZone(8, 42, 1.5, 3), s.zone("Reconyx HC600"));
        assertEquals(new DetectionZone(8, 40, 0, 3), s.zone("Browning"));
    }

    /** The environment's form: TRAPLINE_AGGREGATOR_REM_SPECIES_VULPES_VULPES_DAY_RANGE_KM. */
    @Test
    void fromTheEnvironment() {
        TraplineConfig config = TraplineConfig.load(null, Map.of("TRAPLINE_AGGREGATOR_REM_SPECIES_VULPES_VULPES_DAY_RANGE_KM", "5"));
        assertEquals(Optional.of(DayRange.known(5)), RandomEncounterSettings.fromConfig(config).dayRange("Vulpes vulpes"));
    }

    @Test
    void mistakesAreNamed() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> RandomEncounterSettings.fromMap(Map.of("aggregator.rem.detection.radius.km", "0.01")));
        assertTrue(typo.getMessage().contains("aggregator.rem.detection.radius.km"), typo.getMessage());
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> RandomEncounterSettings.fromMap(Map.of("aggregator.rem.detection.angle.deg", "wide")));
        assertTrue(notNumber.getMessage().contains("must be a number"), notNumber.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RandomEncounterSettings.fromMap(Map.of("aggregator.rem.detection.angle.deg", "400")));
        assertThrows(IllegalArgumentException.class,
                () -> RandomEncounterSettings.fromMap(Map.of("aggregator.rem.species.vulpes.vulpes.day.range.km", "-1")));
        IllegalArgumentException seAlone = assertThrows(IllegalArgumentException.class,
                () -> RandomEncounterSettings.fromMap(Map.of("aggregator.rem.species.vulpes.vulpes.day.range.se.km", "1")));
        assertTrue(seAlone.getMessage().contains("aggregator.rem.species.vulpes.vulpes.day.range.km"), seAlone.getMessage());
    }
}
