package org.trapline.species.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.species.result.ClassifierInfo;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Taxon;
import org.trapline.localstack.samples.SharedData;

/**
 * The event vote across taxa, on the lineages and common names the species stage writes with its shipped
 * ImageNet mapping: a name settles within an answer's lineage, or to a close relative (same family) the
 * answer was unsure of, never across family, order or class.
 */
class EventLabelsAcrossTaxaTest {

    static LabelMap labels;
    static Taxon dog, cat, pheasants, ruffedGrouse, gamebird, bird, mammal, redFox, kitFox, fox, dogFamily, greyFox, cougar,
            lynx, hare;

    @BeforeAll
    static void load() throws Exception {
        labels = LabelMap.imageNet(SharedData.locate().models().resolve("imagenet-labels.txt"));
        dog = labels.label(249).taxon();           // malamute
        cat = labels.label(281).taxon();           // tabby
        ruffedGrouse = labels.label(82).taxon();
        redFox = labels.label(277).taxon();
        kitFox = labels.label(278).taxon();
        greyFox = labels.label(280).taxon();
        cougar = labels.label(286).taxon();
        lynx = labels.label(287).taxon();          // named to the genus
        hare = labels.label(331).taxon();          // Lagomorpha, named to the genus
        pheasants = taxon("Phasianidae");         // a rollup's answers
        gamebird = taxon("Galliformes");
        bird = taxon("Aves");
        mammal = taxon("Mammalia");
        fox = taxon("Vulpes");
        dogFamily = taxon("Canidae");
        assertEquals("mammalia;carnivora;canidae;canis;familiaris", dog.taxonomyString(), "as the stage writes it");
        assertEquals("aves;galliformes;phasianidae;;", pheasants.taxonomyString());
    }

    static Taxon taxon(String scientificName) {
        return labels.find(scientificName).orElseThrow();
    }

    /** An answer as the stage gives it: the taxon's common name from the mapping. */
    static EventMember on(String frame, Taxon taxon, double score) {
        return new EventMember(frame, new SpeciesResult(LabelKind.ANIMAL, labels.commonName(taxon), taxon, taxon.rank(), (float) score,
                "classifier", List.of(), new ClassifierInfo("mobilenetv2-12-int8-features", "1"), Set.of()));
    }

    static List<Taxon> taxa(List<SpeciesResult> results) {
        return results.stream().map(SpeciesResult::taxon).toList();
    }

    static List<EventMember> with(List<EventMember> event, EventMember... more) {
        List<EventMember> all = new ArrayList<>(event);
        all.addAll(List.of(more));
        return all;
    }

    final EventLabels events = new EventLabels(0.3);

    /** The new user's clip: a dog and a cat for three seconds, then a pheasant, one event. */
    static List<EventMember> dogCatPheasant() {
        return List.of(
                on("f1", dog, 0.92), on("f1", cat, 0.80),
                on("f2", dog, 0.90), on("f2", cat, 0.78),
                on("f3", dog, 0.88), on("f3", cat, 0.82),
                on("f4", pheasants, 0.70),
                on("f5", pheasants, 0.72));
    }

    @Test
    void aDogACatAndAPheasantStayThree() {
        // the pheasant weighs 1.42 of 6.52 (22 %), under the share, on frames of its own: before, it became a dog
        List<SpeciesResult> labelled = events.label(dogCatPheasant());
        assertEquals(List.of(dog, cat, dog, cat, dog, cat, pheasants, pheasants), taxa(labelled));
        assertEquals("pheasants, grouse and allies", labelled.get(6).label());
        assertEquals("domestic dog", labelled.get(0).label());
        assertEquals("domestic cat", labelled.get(1).label());
        assertTrue(labelled.stream().noneMatch(r -> r.flags().contains(Flag.EVENT_RELABELLED)), "nobody renamed");
    }

    @Test
    void coarseAnswersAreRefinedOnlyWithinTheirOwnLineage() {
        List<SpeciesResult> labelled = events.label(with(dogCatPheasant(),
                on("f6", bird, 0.90), on("f6", gamebird, 0.70), on("f6", mammal, 0.75), on("f6", Taxon.ANIMALIA, 0.66)));
        assertEquals(pheasants, labelled.get(8).taxon(), "a bird: the event's one bird");
        assertTrue(labelled.get(8).flags().contains(Flag.EVENT_RELABELLED));
        assertEquals(0.71f, labelled.get(8).score(), 1e-6, "the pheasant answers' mean score");
        assertEquals(pheasants, labelled.get(9).taxon(), "a gamebird: the event's gamebird");
        assertEquals(mammal, labelled.get(10).taxon(), "a mammal: the dog or the cat, never the pheasant");
        assertEquals(Taxon.ANIMALIA, labelled.get(11).taxon(), "an animal: any of the three");
        assertEquals(List.of(dog, cat, dog, cat, dog, cat, pheasants, pheasants), taxa(labelled).subList(0, 8));
    }

    @Test
    void thePheasantIsRefinedWithinItsFamilyByASharperFrame() {
        List<SpeciesResult> labelled = events.label(with(dogCatPheasant(), on("f6", ruffedGrouse, 0.90), on("f7", gamebird, 0.70)));
        assertEquals(List.of(dog, cat, dog, cat, dog, cat, ruffedGrouse, ruffedGrouse, ruffedGrouse, ruffedGrouse), taxa(labelled));
        assertEquals("ruffed grouse", labelled.get(6).label());
    }

    @Test
    void aGenusAndItsSpeciesTakeTheSpecies() {
        List<SpeciesResult> labelled = events.label(List.of(
                on("f1", fox, 0.85), on("f2", redFox, 0.90), on("f3", dogFamily, 0.70), on("f4", redFox, 0.80)));
        assertEquals(List.of(redFox, redFox, redFox, redFox), taxa(labelled));
        assertEquals("red fox", labelled.get(0).label());
        assertEquals(0.85f, labelled.get(0).score(), 1e-6);
        assertTrue(labelled.get(2).flags().contains(Flag.EVENT_RELABELLED));
        assertFalse(labelled.get(1).flags().contains(Flag.EVENT_RELABELLED));
    }

    @Test
    void twoCloseSpeciesAtLowConfidenceAreSettledByTheVote() {
        // kit fox 0.70 of 3.33 (21 %), unsure, the red fox's genus: one red fox
        List<SpeciesResult> foxes = events.label(List.of(
                on("f1", redFox, 0.90), on("f2", kitFox, 0.70), on("f3", redFox, 0.85), on("f4", redFox, 0.88)));
        assertEquals(List.of(redFox, redFox, redFox, redFox), taxa(foxes));
        assertTrue(foxes.get(1).flags().contains(Flag.EVENT_RELABELLED));
        // another genus of the family: a lynx 0.72 among cougars, a grey fox 0.70 among red foxes
        assertEquals(List.of(cougar, cougar, cougar, cougar), taxa(events.label(List.of(
                on("f1", cougar, 0.90), on("f2", lynx, 0.72), on("f3", cougar, 0.85), on("f4", cougar, 0.88)))));
        assertEquals(List.of(redFox, redFox, redFox), taxa(events.label(List.of(
                on("f1", redFox, 0.90), on("f2", greyFox, 0.70), on("f3", redFox, 0.85)))));
    }

    @Test
    void aSureAnswerOfAnotherSpeciesOfTheFamilyIsNotOverwritten() {
        List<EventMember> event = List.of(
                on("f1", redFox, 0.90), on("f2", redFox, 0.90), on("f3", redFox, 0.90), on("f4", redFox, 0.90),
                on("f5", kitFox, 0.93), on("f6", fox, 0.80));
        List<SpeciesResult> labelled = events.label(event);
        assertEquals(List.of(redFox, redFox, redFox, redFox, kitFox, fox), taxa(labelled),
                "kit fox 0.93 is at least 0.8: a second fox; the genus answer could be either and keeps its own");
        assertFalse(labelled.get(4).flags().contains(Flag.EVENT_RELABELLED));
        // the threshold is the configuration's (species.event.relative.max.score)
        assertEquals(List.of(redFox, redFox, redFox, redFox, redFox, redFox), taxa(new EventLabels(0.3, 0.95).label(event)),
                "0.93 is under 0.95: one red fox, and the genus answer with it");
        assertEquals(kitFox, taxa(new EventLabels(0.3, 0).label(List.of(
                on("f1", redFox, 0.90), on("f2", kitFox, 0.70), on("f3", redFox, 0.85)))).get(1), "0: never settled to a relative");
    }

    @Test
    void neverAcrossOrderOrFamilyHoweverManyVotes() {
        List<EventMember> cougars = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            cougars.add(on("f" + i, cougar, 0.95));
        }
        List<SpeciesResult> withHare = events.label(with(cougars, on("f20", hare, 0.66)));
        assertEquals(hare, withHare.get(20).taxon(), "a lagomorph among carnivores: 0.66 of 19.66, unsure, still a hare");
        assertEquals("hare", withHare.get(20).label());
        List<SpeciesResult> withGreyFox = events.label(with(cougars, on("f20", greyFox, 0.66)));
        assertEquals(greyFox, withGreyFox.get(20).taxon(), "another family of the order: still a grey fox");
        List<SpeciesResult> withBird = events.label(with(cougars, on("f20", bird, 0.66)));
        assertEquals(bird, withBird.get(20).taxon(), "another class: still a bird");
        assertEquals(List.of(cougar), withHare.subList(0, 20).stream().map(SpeciesResult::taxon).distinct().toList());
    }
}
