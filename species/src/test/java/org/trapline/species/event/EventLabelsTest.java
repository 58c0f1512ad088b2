package org.trapline.species.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.trapline.species.result.ClassifierInfo;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Taxon;

class EventLabelsTest {

    static final Taxon COUGAR = Taxon.of("Mammalia", "Carnivora", "Felidae", "Puma", "concolor");
    static final Taxon BOBCAT = Taxon.of("Mammalia", "Carnivora", "Felidae", "Lynx", "rufus");
    static final Taxon FELIDAE = Taxon.of("Mammalia", "Carnivora", "Felidae", null, null);
    static final Taxon MULE_DEER = Taxon.of("Mammalia", "Artiodactyla", "Cervidae", "Odocoileus", "hemionus");
    static final EventLabels EVENTS = new EventLabels(0.3);

    static SpeciesResult named(Taxon taxon, String label, double score) {
        return new SpeciesResult(LabelKind.ANIMAL, label, taxon, taxon.rank(), (float) score, "classifier", List.of(),
                new ClassifierInfo("c", "1"), Set.of());
    }

    static SpeciesResult blank() {
        return new SpeciesResult(LabelKind.BLANK, "blank", null, null, 0.995f, "classifier", List.of(), new ClassifierInfo("c", "1"),
                Set.of(Flag.CLASSIFIER_SAYS_BLANK));
    }

    @Test
    void oneSpeciesOneLabelWeightedByScore() {
        List<EventMember> burst = List.of(
                new EventMember("f1", named(COUGAR, "cougar", 0.90)),
                new EventMember("f2", named(BOBCAT, "bobcat", 0.70)),
                new EventMember("f3", named(COUGAR, "cougar", 0.80)),
                new EventMember("f4", named(FELIDAE, "cat family", 0.75)),
                new EventMember("f5", named(Taxon.ANIMALIA, "animal", 0.66)),
                new EventMember("f5", blank()));
        List<SpeciesResult> labelled = EVENTS.label(burst);
        for (int i = 0; i < 5; i++) {
            assertEquals(COUGAR, labelled.get(i).taxon(), "frame " + i);
            assertEquals("cougar", labelled.get(i).label());
        }
        // the bobcat weighs 0.70 of 3.81, is of the cougar's family and under 0.8: outvoted, one animal misnamed
        assertEquals(0.85, labelled.get(1).score(), 1e-6, "the cougar answers' mean score");
        assertTrue(labelled.get(1).flags().contains(Flag.EVENT_RELABELLED));
        assertFalse(labelled.get(0).flags().contains(Flag.EVENT_RELABELLED), "unchanged");
        assertEquals(burst.get(5).result(), labelled.get(5), "a blank answer keeps its own");
    }

    @Test
    void twoSpeciesSeenTogetherStayTwo() {
        List<EventMember> burst = List.of(
                new EventMember("f1", named(COUGAR, "cougar", 0.90)),
                new EventMember("f1", named(MULE_DEER, "mule deer", 0.70)),
                new EventMember("f2", named(COUGAR, "cougar", 0.85)),
                new EventMember("f3", named(COUGAR, "cougar", 0.80)),
                new EventMember("f3", named(Taxon.ANIMALIA, "animal", 0.66)));
        List<SpeciesResult> labelled = EVENTS.label(burst);
        assertEquals(MULE_DEER, labelled.get(1).taxon(), "0.70 of 3.91 is under the share, but beside the cougar on f1");
        assertEquals(COUGAR, labelled.get(0).taxon());
        assertEquals(Taxon.ANIMALIA, labelled.get(4).taxon(), "an 'animal' that could be either keeps its own");
    }

    @Test
    void twoSpeciesOnDifferentFramesStayTwoWhenEachWeighs() {
        List<EventMember> burst = List.of(
                new EventMember("f1", named(COUGAR, "cougar", 0.90)),
                new EventMember("f2", named(COUGAR, "cougar", 0.85)),
                new EventMember("f3", named(MULE_DEER, "mule deer", 0.80)),
                new EventMember("f4", named(MULE_DEER, "mule deer", 0.75)),
                new EventMember("f4", named(FELIDAE, "cat family", 0.70)));
        List<SpeciesResult> labelled = EVENTS.label(burst);
        assertEquals(List.of(COUGAR, COUGAR, MULE_DEER, MULE_DEER, COUGAR), labelled.stream().map(SpeciesResult::taxon).toList());
    }

    @Test
    void aLightAnimalOfAnotherOrderOnAFrameOfItsOwnIsNotOutvoted() {
        List<EventMember> burst = List.of(
                new EventMember("f1", named(COUGAR, "cougar", 0.90)),
                new EventMember("f2", named(COUGAR, "cougar", 0.85)),
                new EventMember("f3", named(COUGAR, "cougar", 0.80)),
                new EventMember("f4", named(MULE_DEER, "mule deer", 0.60)));
        assertEquals(List.of(COUGAR, COUGAR, COUGAR, MULE_DEER), EVENTS.label(burst).stream().map(SpeciesResult::taxon).toList(),
                "0.60 of 3.15 and unsure, but a deer is never a cougar");
    }

    @Test
    void aLineageWithAGapIsCloseToNothing() {
        Taxon bobcatNoOrder = Taxon.of("Mammalia", null, "Felidae", "Lynx", "rufus");
        List<EventMember> burst = List.of(
                new EventMember("f1", named(COUGAR, "cougar", 0.90)),
                new EventMember("f2", named(COUGAR, "cougar", 0.85)),
                new EventMember("f3", named(COUGAR, "cougar", 0.80)),
                new EventMember("f4", named(bobcatNoOrder, "bobcat", 0.60)));
        assertEquals(bobcatNoOrder, EVENTS.label(burst).get(3).taxon(), "its order cannot be compared: it keeps its own");
        assertTrue(EventLabels.sameFamily(BOBCAT, COUGAR));
        assertFalse(EventLabels.sameFamily(bobcatNoOrder, Taxon.of("Mammalia", null, "Felidae", "Puma", "concolor")));
        assertFalse(EventLabels.sameFamily(FELIDAE.at(org.trapline.species.taxonomy.Rank.ORDER).orElseThrow(), COUGAR));
    }

    @Test
    void theSettingsAreChecked() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new EventLabels(0.3, 1.5));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new EventLabels(0, 0.8));
    }

    @Test
    void anEventWithoutAnimalsIsUnchanged() {
        List<EventMember> burst = new ArrayList<>(List.of(new EventMember("f1", blank())));
        assertEquals(List.of(blank()), EVENTS.label(burst));
        assertEquals(List.of(), EVENTS.label(List.of()));
    }
}
