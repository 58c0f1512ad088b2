package org.trapline.identifier.species;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.identifier.sequence.Sequencer;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.CameraSequence;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;

/** Which species the animals of a frame are identified as, from their event's votes. */
class EventSpeciesTest {

    static final Instant T0 = Instant.parse("2026-06-01T04:00:00Z");
    static final String COUGAR = "mammalia;carnivora;felidae;puma;concolor";
    static final String BOBCAT = "mammalia;carnivora;felidae;lynx;rufus";
    static final String CATS = "mammalia;carnivora;felidae;;";
    static final String DEER = "mammalia;artiodactyla;cervidae;odocoileus;virginianus";
    static final String DOG = "mammalia;carnivora;canidae;canis;familiaris";
    static final String CAT = "mammalia;carnivora;felidae;felis;catus";
    static final String PHEASANTS = "aves;galliformes;phasianidae;;";

    final Sequencer sequencer = new Sequencer(Duration.ofSeconds(60), 100);
    final EventSpecies events = new EventSpecies(0.3);
    int frames;

    record Answer(String label, String scientificName, TaxonRank rank, String taxonomy, float score) {
    }

    static Answer cougar(float score) {
        return new Answer("cougar", "Puma concolor", TaxonRank.SPECIES, COUGAR, score);
    }

    static Answer bobcat(float score) {
        return new Answer("bobcat", "Lynx rufus", TaxonRank.SPECIES, BOBCAT, score);
    }

    static Answer cats(float score) {
        return new Answer("cat family", "Felidae", TaxonRank.FAMILY, CATS, score);
    }

    static Answer deer(float score) {
        return new Answer("white-tailed deer", "Odocoileus virginianus", TaxonRank.SPECIES, DEER, score);
    }

    static Answer dog(float score) {
        return new Answer("domestic dog", "Canis familiaris", TaxonRank.SPECIES, DOG, score);
    }

    static Answer cat(float score) {
        return new Answer("domestic cat", "Felis catus", TaxonRank.SPECIES, CAT, score);
    }

    static Answer pheasants(float score) {
        return new Answer("pheasants, grouse and allies", "Phasianidae", TaxonRank.FAMILY, PHEASANTS, score);
    }

    /** A frame of camera "cam" with one animal per answer (null: a box the classifier did not name), seconds after T0. */
    FrameDetections frame(int seconds, Answer... answers) {
        List<Detection> detections = new ArrayList<>();
        List<SpeciesClassification> classifications = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            detections.add(new Detection(DetectionCategory.ANIMAL, "Dog", 0.8f, new BoundingBox(0.1f * i, 0.1f, 0.1f, 0.1f)));
            Answer a = answers[i];
            if (a != null) {
                classifications.add(SpeciesClassification.newBuilder().setDetection(i).setKind(ClassificationKind.ANIMAL)
                        .setLabel(a.label()).setScientificName(a.scientificName()).setRank(a.rank()).setScore(a.score())
                        .setSource("classifier").setTop5(List.of()).setClassifier(new ModelInfo("stand-in", "1"))
                        .setFlags(List.of()).setTaxonomy(a.taxonomy()).build());
            }
        }
        return FrameDetections.newBuilder().setFrameId("f" + (++frames)).setSiteId("site").setCameraId("cam")
                .setCaptureTime(T0.plusSeconds(seconds)).setBlob(new BlobRef("fs", "k", 1L)).setWidth(10).setHeight(10)
                .setModel(new ModelInfo("det", "1")).setDetections(detections).setEmpty(false).setRedacted(false)
                .setProcessedTime(T0).setClassifications(classifications).build();
    }

    /** As the identifier does with a poll: every frame into its event first, then each named by its event's vote. */
    List<Map<Integer, AnimalSpecies>> poll(FrameDetections... frames) {
        return poll(events, frames);
    }

    List<Map<Integer, AnimalSpecies>> poll(EventSpecies events, FrameDetections... frames) {
        List<CameraSequence> placed = new ArrayList<>();
        Map<String, CameraSequence> latest = new java.util.HashMap<>();
        for (FrameDetections f : frames) {
            CameraSequence event = sequencer.next(f.getCameraId(), f.getCaptureTime(), EventSpecies.votes(f));
            placed.add(event);
            latest.put(event.getEventId(), event);
        }
        List<Map<Integer, AnimalSpecies>> named = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            named.add(events.species(frames[i], latest.get(placed.get(i).getEventId())));
        }
        return named;
    }

    static AnimalSpecies first(Map<Integer, AnimalSpecies> frame) {
        return frame.get(0);
    }

    @Test
    void aBurstThatArrivesTogetherSharesOneName() {
        // blurred first ("cat family"), misnamed third (bobcat): one cougar
        List<Map<Integer, AnimalSpecies>> named = poll(frame(0, cats(0.7f)), frame(2, cougar(0.8f)), frame(4, bobcat(0.5f)),
                frame(6, cougar(0.9f)));
        for (Map<Integer, AnimalSpecies> f : named) {
            assertEquals(new AnimalSpecies("cougar", "Puma concolor"), first(f));
        }
    }

    @Test
    void aLaterFrameTakesTheVoteOfTheEventSoFarButEarlierOnesAreNotRenamed() {
        List<Map<Integer, AnimalSpecies>> early = poll(frame(0, cats(0.7f)));
        assertEquals(new AnimalSpecies("cat family", "Felidae"), first(early.get(0)), "all that is known then");
        List<Map<Integer, AnimalSpecies>> later = poll(frame(20, cougar(0.8f)), frame(40, cats(0.6f)));
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), first(later.get(0)));
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), first(later.get(1)), "its blur named by the event");
        // the next event starts afresh
        assertEquals(new AnimalSpecies("cat family", "Felidae"), first(poll(frame(500, cats(0.6f))).get(0)));
    }

    @Test
    void twoSpeciesOnOneFrameStayTwo() {
        List<Map<Integer, AnimalSpecies>> named = poll(frame(0, cougar(0.9f), deer(0.3f)), frame(3, cougar(0.9f)));
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), named.get(0).get(0));
        assertEquals(new AnimalSpecies("white-tailed deer", "Odocoileus virginianus"), named.get(0).get(1),
                "a light second species beside the first on a frame is a second animal");
    }

    @Test
    void theVoteNeverRenamesAnAnimalAcrossClasses() {
        // the new user's clip: a dog and a cat for three seconds, then a pheasant; one event
        List<Map<Integer, AnimalSpecies>> named = poll(frame(0, dog(0.92f), cat(0.80f)), frame(1, dog(0.90f), cat(0.78f)),
                frame(2, dog(0.88f), cat(0.82f)), frame(3, pheasants(0.70f)), frame(4, pheasants(0.72f)));
        AnimalSpecies dog = new AnimalSpecies("domestic dog", "Canis familiaris");
        AnimalSpecies cat = new AnimalSpecies("domestic cat", "Felis catus");
        AnimalSpecies pheasant = new AnimalSpecies("pheasants, grouse and allies", "Phasianidae");
        for (int f = 0; f < 3; f++) {
            assertEquals(dog, named.get(f).get(0));
            assertEquals(cat, named.get(f).get(1));
        }
        assertEquals(pheasant, first(named.get(3)), "22 % of the event, on frames of its own: still not a dog");
        assertEquals(pheasant, first(named.get(4)));
        // a later frame of the event: its "bird" is the event's pheasant, its unsure "mammal" stays a mammal
        Map<Integer, AnimalSpecies> later = poll(frame(6,
                new Answer("bird", "Aves", TaxonRank.CLASS, "aves;;;;", 0.9f),
                new Answer("mammal", "Mammalia", TaxonRank.CLASS, "mammalia;;;;", 0.7f))).get(0);
        assertEquals(pheasant, later.get(0));
        assertEquals(new AnimalSpecies("mammal", "Mammalia"), later.get(1), "the dog or the cat: it cannot be told which");
    }

    @Test
    void aSureRelativeIsNotOutvotedButAnUnsureOneIs() {
        List<Map<Integer, AnimalSpecies>> named = poll(frame(0, cougar(0.9f)), frame(2, cougar(0.9f)), frame(4, bobcat(0.85f)),
                frame(6, cougar(0.9f)), frame(8, cougar(0.9f)));
        assertEquals(new AnimalSpecies("bobcat", "Lynx rufus"), first(named.get(2)),
                "0.85 of 4.45 (19 %), but at least species.event.relative.max.score (0.8): a second cat");
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), first(named.get(3)));
        // the next event, with 0.9: the bobcat's 0.85 is unsure, one cougar
        List<Map<Integer, AnimalSpecies>> stricter = poll(new EventSpecies(0.3, 0.9), frame(500, cougar(0.9f)), frame(502, cougar(0.9f)),
                frame(504, bobcat(0.85f)), frame(506, cougar(0.9f)), frame(508, cougar(0.9f)));
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), first(stricter.get(2)));
    }

    @Test
    void anAnimalTheClassifierDidNotNameKeepsTheDetectorsLabel() {
        Map<Integer, AnimalSpecies> named = poll(frame(0, cougar(0.9f), null)).get(0);
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), named.get(0));
        assertEquals(new AnimalSpecies("dog", null), named.get(1), "the detector's label, lower case, no scientific name");
        assertEquals("dog", named.get(1).key());
        assertEquals("Puma concolor", named.get(0).key());
    }

    @Test
    void anAnswerWhoseLineageDoesNotReadKeepsItsOwnNameAndDoesNotVote() {
        FrameDetections odd = frame(0, new Answer("cougar", "Puma concolor", TaxonRank.SPECIES, "puma;concolor", 0.9f));
        assertEquals(List.of(), EventSpecies.votes(odd));
        assertEquals(new AnimalSpecies("cougar", "Puma concolor"), first(poll(odd).get(0)));
    }

    @Test
    void anEventKeepsOnlyItsLatestVotes() {
        Sequencer short_ = new Sequencer(Duration.ofSeconds(60), 3);
        CameraSequence event = null;
        for (int i = 0; i < 5; i++) {
            FrameDetections f = frame(i, i < 2 ? bobcat(0.9f) : cougar(0.9f));
            event = short_.next("cam", f.getCaptureTime(), EventSpecies.votes(f));
        }
        assertEquals(List.of("f3", "f4", "f5"), event.getVotes().stream().map(v -> v.getFrameId()).toList());
        assertEquals(5, event.getFrames());
    }
}
