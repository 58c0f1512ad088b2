package org.trapline.identifier;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.decide.Decisions;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.gallery.GalleryChanges;
import org.trapline.identifier.http.IdentifierApi;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.identifier.match.EmbeddingMatcher;
import org.trapline.identifier.match.EmbeddingModel;
import org.trapline.identifier.match.ExactIndex;
import org.trapline.identifier.match.HnswIndex;
import org.trapline.identifier.match.LocalFeatureMatcher;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.identifier.review.ReviewException;
import org.trapline.identifier.sequence.Sequencer;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.identifier.species.EventSpecies;
import org.trapline.processing.TransactionalBatches;
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
import org.trapline.topics.TopicSetup;
import org.trapline.topics.TopicSnapshot;
import org.trapline.topics.Topics;

/**
 * The identifier service: reads every frame's {@link FrameDetections}, crops each animal, matches it
 * against the gallery of known individuals and decides who it is (a known individual, a question for a
 * reviewer, or a new provisional individual), publishing one {@link Sighting} per animal on
 * {@code sightings}, keyed by site, with its event (burst) id and its species: the detector's species
 * stage's answer, as the vote of the event's frames so far names it ({@link EventSpecies}), which also
 * chooses the species' matchers and gallery.
 *
 * <p>A poll's frames are placed in their events first, all of them, and only then identified, so that the
 * frames of a burst that arrive together (an SD card's, a gateway's upload) are named by the vote of all
 * of them; a frame arriving later takes the vote of every frame of its event so far. A sighting once
 * published is not renamed: identification already used the species' gallery, and counts downstream
 * take a sighting's species once.
 *
 * <p>Exactly once: a poll's sightings, gallery updates, review-queue entries, camera sequences and the
 * consumer's offsets are committed in one transaction. The gallery, the review queue and the open
 * sequences are kept on compacted topics and rebuilt from them on start, and again after an aborted
 * batch, so what the service holds in memory is always what was committed. People's decisions through
 * the review API are committed in transactions of their own, under the same lock. One identifier
 * instance owns the gallery.
 */
public final class IdentifierService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdentifierService.class);
    public static final String SERVICE = "identifier";
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);

    private final TraplineConfig config;
    private final IdentifierSettings settings;
    private final KafkaClientSettings clients;
    private final Crops crops;
    private final EmbeddingModel embeddingModel;
    private final Decisions decisions;
    private final PhotoIdentifier photos;
    private final Sequencer sequencer;
    private final EventSpecies eventSpecies;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaProducer<byte[], byte[]> reviewProducer;
    private final TransactionalBatches batches;
    private final Deserializer<FrameDetections> detections;
    private final Serializer<Sighting> sightings;
    private final Serializer<IndividualUpdate> individuals;
    private final Serializer<CameraSequence> sequences;
    private final DeadLetterRouter deadLetters;
    private final PrometheusMeterRegistry metrics;
    private final Timer matchTime;
    private final IdentifierApi api;
    private final Thread loop;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Clock clock = Clock.systemUTC();
    /** Guards the gallery, the review desk and the sequences: the loop and the review API both change them. */
    private final ReentrantLock lock = new ReentrantLock();
    private Gallery gallery;
    private ReviewDesk desk;

    private IdentifierService(TraplineConfig config) throws IOException {
        this.config = config;
        this.settings = IdentifierSettings.fromConfig(config);
        BlobStore blobs = BlobStores.fromConfig(config);
        this.crops = new Crops(blobs, settings.cropMargin());
        this.embeddingModel = settings.usesEmbedding() ? EmbeddingModel.load(settings.embedding()) : null;
        this.decisions = new Decisions(settings.thresholds());
        this.photos = new PhotoIdentifier(settings, decisions, crops);
        this.sequencer = new Sequencer(settings.sequenceGap(), settings.maxEventVotes());
        this.eventSpecies = new EventSpecies(settings.eventMinShare(), settings.eventRelativeMaxScore());
        this.clients = new KafkaClientSettings(config);
        String instance = config.get("identifier.instance.id", "main");
        Map<String, Object> consumerProps = clients.consumer(SERVICE, SERVICE + "-" + instance);
        consumerProps.put("max.poll.records", config.getInt("identifier.max.poll.records", 16));
        // static membership: a restarted identifier takes its partitions back at once instead of waiting
        // out the dead member's session; the instance id is unique already, as the transactional id is
        consumerProps.put("group.instance.id", SERVICE + "-" + instance);
        this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(clients.producer(SERVICE + "-" + instance, SERVICE + "-" + instance),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.reviewProducer = new KafkaProducer<>(clients.producer(SERVICE + "-" + instance + "-review",
                SERVICE + "-" + instance + "-review"), new ByteArraySerializer(), new ByteArraySerializer());
        this.batches = new TransactionalBatches(consumer, producer);
        this.detections = Topics.DETECTIONS.valueSerde(config).deserializer();
        this.sightings = Topics.SIGHTINGS.valueSerde(config).serializer();
        this.individuals = Topics.INDIVIDUALS.valueSerde(config).serializer();
        this.sequences = Topics.CAMERA_SEQUENCES.valueSerde(config).serializer();
        this.deadLetters = new DeadLetterRouter(SERVICE, Topics.DEAD_LETTERS.valueSerde(config).serializer(), clock);
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new KafkaClientMetrics(consumer).bindTo(metrics);
        new KafkaClientMetrics(producer).bindTo(metrics);
        this.matchTime = Timer.builder("trapline.identifier.match").publishPercentileHistogram()
                .description("one animal crop through its matchers and the gallery").register(metrics);
        Gauge.builder("trapline.identifier.gallery.individuals", this, s -> s.locked(() -> s.gallery.live().size()))
                .description("live individuals in the gallery").register(metrics);
        Gauge.builder("trapline.identifier.review.queue", this, s -> s.locked(() -> s.desk.queue().size()))
                .description("sightings waiting for a reviewer").register(metrics);
        this.api = new IdentifierApi(this, ApiKeys.fromConfig(config), crops, metrics,
                config.getLong("identifier.identify.max.image.bytes", 50L * 1024 * 1024),
                java.net.URI.create(config.get("identifier.ingest.url", "http://127.0.0.1:8082")));
        this.loop = new Thread(this::run, "identifier-loop");
    }

    public static IdentifierService start(TraplineConfig config) throws IOException {
        new TopicSetup(config).run();
        IdentifierService service = new IdentifierService(config);
        service.producer.initTransactions();
        service.reviewProducer.initTransactions();
        service.rebuild();
        service.consumer.subscribe(List.of(Topics.DETECTIONS.name()));
        service.loop.start();
        service.api.start(config.get("identifier.http.host", "127.0.0.1"), config.getInt("identifier.http.port", 8084));
        log.info("identifier running (matchers {}; {} individuals known) on port {}", service.settings.defaultMatchers(),
                service.gallery.live().size(), service.api.port());
        return service;
    }

    public int port() {
        return api.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public boolean alive() {
        return loop.isAlive();
    }

    /**
     * The gallery, the review queue and the open sequences, read anew from their committed topics. Runs
     * on start and after an aborted batch, whose changes the memory already holds but the topics do not.
     */
    private void rebuild() {
        lock.lock();
        try {
            Gallery fresh = new Gallery(this::newMatchers, reference -> crops.crop(reference.getBlob(), reference.getBbox()));
            TopicSnapshot.latest(clients, SERVICE + "-gallery-reader", Topics.INDIVIDUALS.name(),
                    Topics.INDIVIDUALS.valueSerde(config).deserializer(), SNAPSHOT_TIMEOUT, this::unreadable)
                    .values().forEach(fresh::apply);
            ReviewDesk freshDesk = new ReviewDesk(fresh, settings.maxReferences(), clock);
            TopicSnapshot.latest(clients, SERVICE + "-review-reader", Topics.REVIEW_QUEUE.name(),
                    Topics.REVIEW_QUEUE.valueSerde(config).deserializer(), SNAPSHOT_TIMEOUT, this::unreadable)
                    .values().forEach(freshDesk::enqueue);
            sequencer.clear();
            TopicSnapshot.latest(clients, SERVICE + "-sequence-reader", Topics.CAMERA_SEQUENCES.name(),
                    Topics.CAMERA_SEQUENCES.valueSerde(config).deserializer(), SNAPSHOT_TIMEOUT, this::unreadable)
                    .values().forEach(sequencer::restore);
            fresh.enrolmentFailures().forEach(f -> log.warn("gallery reference not enrolled: {}", f));
            this.gallery = fresh;
            this.desk = freshDesk;
        } finally {
            lock.unlock();
        }
    }

    private void unreadable(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
        log.error("{} offset {} cannot be read and is left out of the state: {}", record.topic(), record.offset(), e.toString());
    }

    /** A species' matchers, empty, each with an index of its own: species are never compared. */
    private List<Matcher> newMatchers(String species) {
        List<Matcher> matchers = new ArrayList<>();
        for (String name : settings.matchersFor(species)) {
            matchers.add(switch (name) {
                case IdentifierSettings.EMBEDDING -> new EmbeddingMatcher(name, embeddingModel,
                        settings.index().equals("exact") ? new ExactIndex() : new HnswIndex());
                case IdentifierSettings.LOCAL_FEATURES -> new LocalFeatureMatcher(settings.localFeatures());
                default -> throw new IllegalArgumentException("unknown matcher " + name);
            });
        }
        return matchers;
    }

    private void run() {
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    processInTransaction(records);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("identifier loop woken unexpectedly", e);
            }
        } catch (ProducerFencedException e) {
            log.error("another identifier with the same instance id took over: stopping", e);
        } catch (RuntimeException e) {
            log.error("identifier loop failed: stopping (the uncommitted batch is redone on restart)", e);
        } finally {
            // a static member leaves on a clean stop, so that another instance id may take over at once;
            // after a crash it stays, and the same instance restarted takes its partitions back
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(5)));
        }
    }

    /** A frame of the poll, placed in its event. */
    private record Arrived(ConsumerRecord<byte[], byte[]> record, FrameDetections frame, String eventId) {
    }

    private void processInTransaction(ConsumerRecords<byte[], byte[]> records) {
        lock.lock();
        try {
            producer.beginTransaction();
            // first every frame into its event, with its species answers as votes; then each identified
            // with the vote of its whole event as the poll left it
            List<Arrived> arrived = new ArrayList<>();
            Map<String, CameraSequence> events = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Optional<FrameDetections> frame = deadLetters.decode(record, detections, producer);
                if (frame.isEmpty()) {
                    countFrame("dead-letter");
                    continue;
                }
                CameraSequence event = sequencer.next(frame.get().getCameraId(), frame.get().getCaptureTime(),
                        EventSpecies.votes(frame.get()));
                send(Topics.CAMERA_SEQUENCES.name(), event.getCameraId(), sequences.serialize(Topics.CAMERA_SEQUENCES.name(), event));
                events.put(event.getEventId(), event);
                arrived.add(new Arrived(record, frame.get(), event.getEventId()));
            }
            for (Arrived a : arrived) {
                try {
                    identify(a.frame(), events.get(a.eventId()));
                } catch (IOException | Matcher.MatchException e) {
                    producer.send(deadLetters.deadLetter(a.record(), e));
                    countFrame("dead-letter");
                }
            }
            batches.commit(records);
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("batch of {} frames not committed, it will be read again: {}", records.count(), e.toString());
            batches.abortAndRewind(records);
            rebuild();
        } finally {
            lock.unlock();
        }
    }

    /** One frame: a decision for each animal on it, named as its event's vote names it. */
    private void identify(FrameDetections frame, CameraSequence event) throws IOException, Matcher.MatchException {
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
        Map<Integer, AnimalSpecies> species = eventSpecies.species(frame, event);
        BufferedImage image = crops.image(frame.getBlob());
        List<Decisions.Proposal> proposals = new ArrayList<>();
        Map<Integer, Map<String, Matcher.Probe>> probesByAnimal = new HashMap<>();
        for (int index : animals) {
            Detection detection = frame.getDetections().get(index);
            String key = species.get(index).key();
            Timer.Sample sample = Timer.start(metrics);
            BufferedImage crop = crops.crop(image, detection.getBbox());
            Map<String, Matcher.Probe> probes = new LinkedHashMap<>();
            for (Matcher matcher : gallery.matchers(key)) {
                probes.put(matcher.name(), matcher.probe(crop));
            }
            probesByAnimal.put(index, probes);
            Map<String, List<org.trapline.identifier.match.Match>> candidates = gallery.candidates(probes, settings.candidates());
            candidates.keySet().retainAll(settings.decidingMatchers(key, frame.getSiteId()));
            proposals.add(new Decisions.Proposal(index, candidates));
            sample.stop(matchTime);
        }
        for (Decisions.Outcome outcome : decisions.decide(proposals)) {
            Detection detection = frame.getDetections().get(outcome.detectionIndex());
            Sighting sighting = sighting(frame, detection, outcome, event.getEventId(), species.get(outcome.detectionIndex()));
            record(sighting, outcome, probesByAnimal.get(outcome.detectionIndex()));
        }
        countFrame("identified");
    }

    /** Publishes a sighting and what it changes in the gallery or the review queue. */
    private void record(Sighting sighting, Decisions.Outcome outcome, Map<String, Matcher.Probe> probes) {
        String species = AnimalSpecies.of(sighting).key();
        IndividualUpdate update = switch (outcome.decision()) {
            case MATCHED -> {
                IndividualUpdate matched = gallery.get(outcome.individualId()).orElseThrow();
                yield GalleryChanges.seenAgain(matched, sighting, reference(sighting, probes), settings.maxReferences(),
                        IndividualChange.UPDATED, matched.getStatus(), clock.instant(), SERVICE,
                        String.format("matched with score %.3f", outcome.score()));
            }
            case NEW_PROVISIONAL -> GalleryChanges.created(sighting.getIndividualId(), sighting, reference(sighting, probes),
                    IndividualStatus.PROVISIONAL, clock.instant(), SERVICE,
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
            send(Topics.INDIVIDUALS.name(), update.getIndividualId(), individuals.serialize(Topics.INDIVIDUALS.name(), update));
        }
        if (outcome.decision() == MatchDecision.REVIEW) {
            desk.enqueue(sighting);
            send(Topics.REVIEW_QUEUE.name(), sighting.getSightingId(), sightings.serialize(Topics.REVIEW_QUEUE.name(), sighting));
        }
        publish(producer, sighting);
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

    private Sighting sighting(FrameDetections frame, Detection detection, Decisions.Outcome outcome, String eventId,
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

    private void publish(KafkaProducer<byte[], byte[]> via, Sighting sighting) {
        via.send(new ProducerRecord<>(Topics.SIGHTINGS.name(), key(sighting.getSiteId()),
                sightings.serialize(Topics.SIGHTINGS.name(), sighting)));
    }

    private void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key(key), value));
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private void countFrame(String outcome) {
        Counter.builder("trapline.identifier.frames").tag("outcome", outcome).register(metrics).increment();
    }

    // ---- what the review API reads and does ----

    /** Reads the gallery or the queue under the lock. */
    public <T> T locked(Callable<T> read) {
        lock.lock();
        try {
            return read.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    public Gallery gallery() {
        return gallery;
    }

    public ReviewDesk desk() {
        return desk;
    }

    /**
     * Who the animal on a photo is, as the pipeline would decide now: the same matchers, gallery and
     * thresholds, under the lock the loop changes them under; {@code answer} is made from the result under the
     * same lock. Publishes nothing.
     */
    public <T> T identifyPhoto(PhotoIdentifier.Query query, java.util.function.Function<PhotoIdentifier.Result, T> answer)
            throws ReviewException, Matcher.MatchException {
        lock.lock();
        try {
            Timer.Sample sample = Timer.start(metrics);
            PhotoIdentifier.Result result = photos.identify(gallery, query);
            sample.stop(Timer.builder("trapline.identifier.identify").publishPercentileHistogram()
                    .description("one photo identified through the API").register(metrics));
            // the answer is read from the same gallery the candidates came from
            return answer.apply(result);
        } finally {
            lock.unlock();
        }
    }

    /** A reviewer's decision on the current state. */
    public interface Decision {
        ReviewDesk.Change on(ReviewDesk desk) throws ReviewException;
    }

    /**
     * Checks a reviewer's decision against the gallery, commits its records in one transaction, then
     * applies them; nothing is applied when the commit fails.
     */
    public ReviewDesk.Change review(Decision decision) throws ReviewException {
        lock.lock();
        try {
            ReviewDesk.Change change = decision.on(desk);
            reviewProducer.beginTransaction();
            try {
                for (IndividualUpdate update : change.individuals()) {
                    reviewProducer.send(new ProducerRecord<>(Topics.INDIVIDUALS.name(), key(update.getIndividualId()),
                            individuals.serialize(Topics.INDIVIDUALS.name(), update)));
                }
                for (Sighting sighting : change.sightings()) {
                    publish(reviewProducer, sighting);
                }
                for (String resolved : change.resolvedReviews()) {
                    reviewProducer.send(new ProducerRecord<>(Topics.REVIEW_QUEUE.name(), key(resolved), null));
                }
                reviewProducer.commitTransaction();
            } catch (ProducerFencedException e) {
                throw e;
            } catch (KafkaException e) {
                reviewProducer.abortTransaction();
                throw new ReviewException(503, "the decision could not be recorded, nothing changed: " + e.getMessage());
            }
            desk.apply(change);
            Counter.builder("trapline.identifier.reviews").register(metrics).increment();
            return change;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            loop.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.stop();
        producer.close(Duration.ofSeconds(5));
        reviewProducer.close(Duration.ofSeconds(5));
        if (embeddingModel != null) {
            embeddingModel.close();
        }
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? java.nio.file.Path.of(args[0]) : null, System.getenv());
        IdentifierService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "identifier-shutdown"));
    }
}
