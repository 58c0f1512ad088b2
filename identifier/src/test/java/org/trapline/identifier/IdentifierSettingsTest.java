package org.trapline.identifier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.inference.onnx.OnnxSessions;
import org.trapline.inference.onnx.OnnxThreading;

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
    void aSpeciesIsConfiguredByItsScientificNameHoweverItsWordsAreJoined() {
        IdentifierSettings settings = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.species.puma-concolor.matchers", "local-features",
                "identifier.species.Ursus_arctos.matchers", "local-features",
                // as an environment variable arrives: TRAPLINE_IDENTIFIER_SPECIES_LYNX_RUFUS_MATCHERS
                "identifier.species.lynx.rufus.matchers", "local-features")));
        assertEquals(List.of("local-features"), settings.matchersFor("Puma concolor"));
        assertEquals(List.of("local-features"), settings.matchersFor("Ursus arctos"));
        assertEquals(List.of("local-features"), settings.matchersFor("Lynx rufus"));
        assertEquals(List.of("embedding"), settings.matchersFor("Puma"), "the genus is another key");
        assertEquals(List.of("embedding"), settings.matchersFor("dog"));
        assertEquals(100, settings.maxEventVotes());
        assertEquals(0.3, settings.eventMinShare());
        assertEquals(0.8, settings.eventRelativeMaxScore());
    }

    @Test
    void unknownMatchersAndDisorderedThresholdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.matchers", "embedding,sniffer"))));
        assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.matcher.embedding.match", "0.5", "identifier.matcher.embedding.review", "0.9"))));
    }

    @Test
    void theEmbeddingNetworkSleepsBetweenInferencesAsEveryNetworkDoes() throws Exception {
        OnnxThreading threading = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of())).embedding().threading();
        assertEquals(new OnnxThreading(1, Runtime.getRuntime().availableProcessors(), false), threading);
        // what the one loader passes to ONNX Runtime for it (EmbeddingModel.load opens the session with these)
        try (OrtSession.SessionOptions options = OnnxSessions.options(threading)) {
            assertEquals(Map.of("session.intra_op.allow_spinning", "0", "session.inter_op.allow_spinning", "0"),
                    options.getConfigEntries());
        }
        OnnxThreading configured = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.embedding.inference.threads", "2", "identifier.embedding.intra.op.threads", "3",
                "identifier.embedding.intra.op.spinning", "true"))).embedding().threading();
        assertEquals(new OnnxThreading(2, 3, true), configured);
    }

    @Test
    void aSpeciesIsUnmarkedUnlessTheMostSpecificRuleMarksIt() {
        IdentifierSettings settings = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.species.felidae.mode", "marked",
                "identifier.species.felis.catus.mode", "unmarked",
                "identifier.species.panthera.matchers", "local-features",
                "identifier.species.chondrichthyes.matchers", "local-features")));
        org.trapline.species.taxonomy.Taxon cougar = org.trapline.species.taxonomy.Taxon.parse("mammalia;carnivora;felidae;puma;concolor");
        org.trapline.species.taxonomy.Taxon cat = org.trapline.species.taxonomy.Taxon.parse("mammalia;carnivora;felidae;felis;catus");
        org.trapline.species.taxonomy.Taxon deer = org.trapline.species.taxonomy.Taxon.parse("mammalia;artiodactyla;cervidae;odocoileus;virginianus");
        assertTrue(settings.marked(new AnimalSpecies("cougar", "Puma concolor", cougar)), "its family is marked");
        assertFalse(settings.marked(new AnimalSpecies("domestic cat", "Felis catus", cat)), "its own rule wins over its family's");
        assertFalse(settings.marked(new AnimalSpecies("white-tailed deer", "Odocoileus virginianus", deer)), "no rule: unmarked");
        assertFalse(settings.marked(new AnimalSpecies("cougar", "Puma concolor")), "a family rule needs the lineage");
        assertTrue(settings.marked(new AnimalSpecies("leopard", "Panthera pardus")), "its genus, from the binomial alone");
        assertEquals(List.of("local-features"), settings.matchersFor("Panthera pardus"), "its genus' matchers");
        assertEquals(List.of("embedding"), settings.matchersFor("Puma concolor"), "marked by a mode rule: the default matchers");
        assertTrue(settings.marked(new AnimalSpecies("ray", "Chondrichthyes")), "a class as the classifier's answer itself");
        assertTrue(IdentifierSettings.fromConfig(TraplineConfig.of(Map.of("identifier.default.mode", "marked")))
                .marked(new AnimalSpecies("dog", null)), "every species marked when the default says so");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(
                TraplineConfig.of(Map.of("identifier.species.deer.mode", "spotted"))));
        assertTrue(bad.getMessage().contains("marked or unmarked"), bad.getMessage());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(
                TraplineConfig.of(Map.of("identifier.species.manta.matcher", "local-features"))));
        assertTrue(typo.getMessage().contains("identifier.species.manta.matcher is not a setting"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdentifierSettings.fromConfig(
                TraplineConfig.of(Map.of("identifier.site.reef.matcher", "embedding"))));
    }

    /**
     * A gallery's species, known by its key alone, is unmarked as a new animal of it would be; without its lineage a
     * family, order or class rule could still mark a scientific name, so only its own name's and genus' rules decide.
     */
    @Test
    void aGallerysSpeciesIsUnmarkedOnlyWhereNoRuleCouldMarkIt() {
        IdentifierSettings settings = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.species.felidae.mode", "marked",
                "identifier.species.felis.catus.mode", "unmarked",
                "identifier.species.panthera.matchers", "local-features")));
        IdentifierSettings mantasOnly = IdentifierSettings.fromConfig(TraplineConfig.of(Map.of(
                "identifier.species.mobula.alfredi.matchers", "local-features")));
        assertTrue(mantasOnly.unmarkedGallery("Odocoileus virginianus", Optional.empty()), "another species' rule cannot mark it");
        org.trapline.species.taxonomy.Taxon cougar = org.trapline.species.taxonomy.Taxon.parse("mammalia;carnivora;felidae;puma;concolor");
        org.trapline.species.taxonomy.Taxon deer = org.trapline.species.taxonomy.Taxon.parse("mammalia;artiodactyla;cervidae;odocoileus;virginianus");
        assertTrue(settings.unmarkedGallery("Odocoileus virginianus", Optional.of(deer)), "no rule, lineage known");
        assertFalse(settings.unmarkedGallery("Puma concolor", Optional.of(cougar)), "its family is marked");
        assertFalse(settings.unmarkedGallery("Puma concolor", Optional.empty()), "felidae might be its family: kept");
        assertFalse(settings.unmarkedGallery("Odocoileus virginianus", Optional.empty()), "felidae might be its family too");
        assertTrue(settings.unmarkedGallery("Felis catus", Optional.empty()), "its own rule says unmarked");
        assertFalse(settings.unmarkedGallery("Panthera pardus", Optional.empty()), "its genus is marked");
        assertTrue(settings.unmarkedGallery("dog", Optional.empty()), "a detector's label has no lineage to look up");
        assertFalse(IdentifierSettings.fromConfig(TraplineConfig.of(Map.of("identifier.default.mode", "marked")))
                .unmarkedGallery("dog", Optional.empty()), "every species marked when the default says so");
    }

}
