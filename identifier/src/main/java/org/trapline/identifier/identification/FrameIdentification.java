package org.trapline.identifier.identification;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.identifier.IdentifierRecords;
import org.trapline.identifier.IdentifierSettings;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.decide.Decisions;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.gallery.GalleryChanges;
import org.trapline.identifier.match.Match;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.identifier.species.EventSpecies;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.schema.CameraSequence;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchCandidate;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sighting;

/**
 * What the identifier decides for a poll's frames, and sends in the poll's transaction: each animal cropped,
 * matched against its species' gallery and decided (a known individual, a question for a reviewer, or a new
 * provisional individual), one {@link Sighting} each, with what it changes in the gallery or the review queue.
 *
 * <p>A poll's frames are placed in their events first, all of them, and only then identified, so that the
 * frames of a burst that arrive together (an SD card's, a gateway's upload) are named by the vote of all of them
 * ({@link EventSpecies}); a frame arriving later takes the vote of every frame of its event so far. A sighting
 * once published is not renamed: identification already used the species' gallery, and counts downstream take
 * a sighting's species once.
 *
 * <p>It changes the state in memory as it goes; the caller holds the state's lock, and rebuilds the state from
 * the topics when the transaction does not commit. A frame that cannot be read (not Avro, its image missing) or
 * matched goes to the dead letters.
 */
public final class FrameIdentification {

    private final IdentifierState state;
    private final IdentifierSettings settings;
    private final Crops crops;
    private final Decisions decisions;
    private final EventSpecies eventSpecies;
    private final DeadLetterRouter deadLetters;
    private final IdentifierRecords records;
    private final MeterRegistry metrics;
    private final Timer matchTime;
    private final Clock clock;
    private final String actor;

    /** @param actor who the gallery's updates say made them (the service) */
    public FrameIdentification(IdentifierState state, IdentifierSettings settings, Crops crops, Decisions decisions,
                               DeadLetterRouter deadLetters, IdentifierRecords records, MeterRegistry metrics, Clock clock,
                               String actor) {
        this.state = state;
        this.settings = settings;
        this.crops = crops;
        this.decisions = decisions;
        this.eventSpecies = new EventSpecies(settings.eventMinShare(), settings.eventRelativeMaxScore());
        this.deadLetters = deadLetters;
        this.records = records;
        this.metrics = metrics;
        this.clock = clock;
        this.actor = actor;
        this.matchTime = Timer.builder("trapline.identifier.match").publishPercentileHistogram()
                .description("one animal crop through its matchers and the gallery").register(metrics);
    }

    /** A frame of the poll, placed in its event. */
    private record Arrived(ConsumerRecord<byte[], byte[]> record, FrameDetections frame, String eventId) {
    }

    /** Decides a poll's frames, sending what they come to through {@code producer} (in the poll's transaction). */
    public void identify(ConsumerRecords<byte[], byte[]> poll, Producer<byte[], byte[]> producer) {
        // first every frame into its event, with its species answers as votes; then each identified with the
        // vote of its whole event as the poll left it
        List<Arrived> arrived = new ArrayList<>();
        Map<String, CameraSequence> events = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : poll) {
            Optional<FrameDetections> frame = deadLetters.decode(record, records.detections(), producer);
            if (frame.isEmpty()) {
                countFrame("dead-letter");
                continue;
            }
            CameraSequence event = state.sequencer().next(frame.get().getCameraId(), frame.get().getCaptureTime(),
                    EventSpecies.votes(frame.get()));
            producer.send(records.sequence(event));
            events.put(event.getEventId(), event);
            arrived.add(new Arrived(record, frame.get(), event.getEventId()));
        }
        for (Arrived a : arrived) {
            try {
                identify(a.frame(), events.get(a.eventId()), producer);
            } catch (IOException | Matcher.MatchException e) {
                producer.send(deadLetters.deadLetter(a.record(), e));
                countFrame("dead-letter");
            }
        }
    }

    /** One frame: a decision for each animal on it, named as its event's vote names it. */
    private void identify(FrameDetections frame, CameraSequence event, Producer<byte[], byte[]> producer)
            throws IOException, Matcher.MatchException {
        List<Integer> animals = new ArrayList<>();
        for (int i = 0; i < frame.getDetections().size(); i++) {
            // people never reach this point (the detector redacts them), vehicles are not individuals
            if (frame.getDetections().get(i).getCategory() == DetectionCategory.ANIMAL) {
                animals.add(i);
            }
        }
        if (frame.getEmpty() || animals.isEmpty()) {
            countFrame("no-animal");
            return;
        }
        Gallery gallery = state.gallery();
        Map<Integer, AnimalSpecies> species = eventSpecies.species(frame, event);
        // the frame's image is read even when no animal on it is matched: a frame whose image is missing, is no
        // picture or lies behind a key the store refuses goes to the dead letters whole, whatever its species, and
        // no sighting ever points at such an image
        BufferedImage image = crops.image(frame.getBlob());
        // an unmarked species' animals are counted, never matched: no crop, no candidates, no individual
        List<Integer> marked = new ArrayList<>();
        for (int index : animals) {
            if (settings.marked(species.get(index))) {
                marked.add(index);
            } else {
                Decisions.Outcome unmarked = new Decisions.Outcome(index, MatchDecision.UNMARKED, null, null, List.of());
                record(sighting(frame, frame.getDetections().get(index), unmarked, event.getEventId(), species.get(index)),
                        unmarked, Map.of(), producer);
            }
        }
        if (marked.isEmpty()) {
            countFrame("unmarked");
            return;
        }
        List<Decisions.Proposal> proposals = new ArrayList<>();
        Map<Integer, Map<String, Matcher.Probe>> probesByAnimal = new HashMap<>();
        for (int index : marked) {
            Detection detection = frame.getDetections().get(index);
            String key = species.get(index).key();
            Timer.Sample sample = Timer.start(metrics);
            BufferedImage crop = crops.crop(image, detection.getBbox());
            Map<String, Matcher.Probe> probes = new LinkedHashMap<>();
            for (Matcher matcher : gallery.matchers(key)) {
                probes.put(matcher.name(), matcher.probe(crop));
            }
            probesByAnimal.put(index, probes);
            Map<String, List<Match>> candidates = gallery.candidates(probes, settings.candidates());
            candidates.keySet().retainAll(settings.decidingMatchers(key, frame.getSiteId()));
            proposals.add(new Decisions.Proposal(index, candidates));
            sample.stop(matchTime);
        }
        for (Decisions.Outcome outcome : decisions.decide(proposals)) {
            Detection detection = frame.getDetections().get(outcome.detectionIndex());
            Sighting sighting = sighting(frame, detection, outcome, event.getEventId(), species.get(outcome.detectionIndex()));
            record(sighting, outcome, probesByAnimal.get(outcome.detectionIndex()), producer);
        }
        countFrame("identified");
    }

    /** Publishes a sighting and what it changes in the gallery or the review queue. */
    private void record(Sighting sighting, Decisions.Outcome outcome, Map<String, Matcher.Probe> probes,
                        Producer<byte[], byte[]> producer) {
        Gallery gallery = state.gallery();
        String species = AnimalSpecies.of(sighting).key();
        IndividualUpdate update = switch (outcome.decision()) {
            case MATCHED -> {
                IndividualUpdate matched = gallery.get(outcome.individualId()).orElseThrow();
                yield GalleryChanges.seenAgain(matched, sighting, reference(sighting, probes), settings.maxReferences(),
                        IndividualChange.UPDATED, matched.getStatus(), clock.instant(), actor,
                        String.format("matched with score %.3f", outcome.score()));
            }
            case NEW_PROVISIONAL -> GalleryChanges.created(sighting.getIndividualId(), sighting, reference(sighting, probes),
                    IndividualStatus.PROVISIONAL, clock.instant(), actor,
                    outcome.score() == null ? "first of its species" : String.format("best candidate scored %.3f", outcome.score()));
            default -> null;
        };
        if (update != null) {
            boolean keptAsReference = update.getReferences().stream()
                    .anyMatch(r -> sighting.getSightingId().equals(r.getSightingId()));
            if (keptAsReference) {
                // enrolled from the features already computed, not from the crop again
                probes.values().forEach(p -> p.enrol(sighting.getSightingId()));
                gallery.markEnrolled(species, sighting.getSightingId());
            }
            gallery.apply(update);
            producer.send(records.individual(update));
        }
        if (outcome.decision() == MatchDecision.REVIEW) {
            state.desk().enqueue(sighting);
            producer.send(records.queued(sighting));
        }
        producer.send(records.sighting(sighting));
        Counter.builder("trapline.identifier.sightings").tag("decision", outcome.decision().name()).register(metrics).increment();
    }

    /** The reference a sighting adds, with the features of the first matcher that stores any. */
    private static ReferenceCrop reference(Sighting sighting, Map<String, Matcher.Probe> probes) {
        for (Map.Entry<String, Matcher.Probe> entry : probes.entrySet()) {
            Optional<float[]> features = entry.getValue().storable();
            if (features.isPresent()) {
                return GalleryChanges.reference(sighting, entry.getKey(), features);
            }
        }
        return GalleryChanges.reference(sighting, null, Optional.empty());
    }

    private static Sighting sighting(FrameDetections frame, Detection detection, Decisions.Outcome outcome, String eventId,
                                     AnimalSpecies species) {
        String sightingId = GalleryChanges.sightingId(frame.getFrameId(), outcome.detectionIndex());
        String individualId = switch (outcome.decision()) {
            case MATCHED -> outcome.individualId();
            case NEW_PROVISIONAL -> GalleryChanges.newIndividualId(sightingId);
            default -> null;
        };
        return Sighting.newBuilder()
                .setSightingId(sightingId)
                .setSiteId(frame.getSiteId())
                .setCameraId(frame.getCameraId())
                .setDeploymentId(frame.getDeploymentId())
                .setTime(frame.getCaptureTime())
                .setSpeciesLabel(species.label())
                .setScientificName(species.scientificName())
                .setIndividualId(individualId)
                .setDecision(outcome.decision())
                .setMatchScore(outcome.score())
                .setCandidates(outcome.candidates().stream()
                        .map(m -> new MatchCandidate(m.individualId(), m.score(), m.matcher())).toList())
                .setEventId(eventId)
                .setDetection(DetectionRef.newBuilder()
                        .setFrameId(frame.getFrameId())
                        .setDetectionIndex(outcome.detectionIndex())
                        .setCategory(detection.getCategory())
                        .setConfidence(detection.getConfidence())
                        .setBbox(detection.getBbox())
                        .setBlob(frame.getBlob())
                        .build())
                .build();
    }

    private void countFrame(String outcome) {
        Counter.builder("trapline.identifier.frames").tag("outcome", outcome).register(metrics).increment();
    }
}
