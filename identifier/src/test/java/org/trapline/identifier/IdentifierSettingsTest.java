package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;

class IdentifierSettingsTest {

    @Test
    void matchersAreChosenPerSpeciesAndNarrowedPerSite() {
        IdentifierSettings settings = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.matchers", "embedding",
                "identifier.species.manta.matchers", "embedding, local-features",
                "identifier.site.reef.matchers", "local-features",
                "identifier.site.lagoon.matchers", "local-features")));
        assertEquals(List.of("embedding"), settings.matchersFor("zebra"));
        assertEquals(List.of("embedding", "local-features"), settings.matchersFor("Manta"));
        assertEquals(List.of("local-features"), settings.decidingMatchers("manta", "reef"));
        assertEquals(List.of("embedding", "local-features"), settings.decidingMatchers("manta", "harbour"));
        assertEquals(List.of("embedding"), settings.decidingMatchers("zebra", "lagoon"),
                "a site cannot take away every matcher a species has");
    }

    @Test
    void unknownMatchersAndDisorderedThresholdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.matchers", "embedding,sniffer"))));
        assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.matcher.embedding.match", "0.5", "identifier.matcher.embedding.review", "0.9"))));
    }
}
