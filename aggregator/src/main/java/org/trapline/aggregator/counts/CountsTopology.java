package org.trapline.aggregator.counts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.corrections.CorrectionRules;
import org.trapline.schema.Correction;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.schema.SiteCount;
import org.trapline.topics.Topics;

/**
 * The aggregator's Kafka Streams topology: sightings, the detector's frames, corrections and the gallery in, live
 * counts per site out.
 *
 * <pre>
 *  individuals ─state─┐                         ┌─ naming, along a merge ─┐
 *  sightings ─naming──┴─► [gallery topic] ─► gallery stage ──────────────┘   (by individual)
 *      │                                           │ claims, fallbacks
 *      └─ arrival ─┬─► by-frame ─► frame stage ──► by-sighting ─► resolving stage   (by frame; by sighting)
 *  detections ─────┤        arrivals, withdrawals ┘                 │         │ memberships
 *  corrections ────┘
 *  individuals ─record──────────────────────────────────────────────│──► by-individual ─► individual stage
 *                                                      counted,      │                            │ profiles
 *                                                      uncounted,    └─► by-site ◄────────────────┘
 *                                                      reassigned          └─► counting stage ─► site-counts
 * </pre>
 *
 * Five stages, each reading one topic keyed by what it works on, so that each holds all it needs in its
 * own partition of state: the frame stage puts each frame's sightings together with what reviewers
 * decided about it ({@link FrameStage}); the gallery stage turns individuals' updates into claims on single
 * sightings (and follows merges); the resolving stage decides each sighting's individual; the individual
 * stage keeps each individual's life history and where its sightings are, and tells those sites; the
 * counting stage counts per site and keeps what a site's demography is told from. Sightings, corrections
 * and updates may arrive in any order: the counts converge to the same values.
 */
public final class CountsTopology {

    private static final Logger log = LoggerFactory.getLogger(CountsTopology.class);

    private CountsTopology() {
    }

    public static Topology build(CountSettings settings, Windows windows, Serde<Sighting> sightingSerde,
                                 Serde<IndividualUpdate> individualSerde, Serde<FrameDetections> detectionSerde,
                                 Serde<Correction> correctionSerde, Serde<SiteCount> siteCountSerde) {
        Serde<String> keys = Serdes.String();
        Serde<Message> messages = new JsonSerde<>(Message.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(CountStores.store(CountStores.FRAMES, FrameReview.class));
        builder.addStateStore(CountStores.store(CountStores.GALLERY, GalleryEntry.class));
        builder.addStateStore(CountStores.store(CountStores.RESOLUTIONS, Resolution.class));
        builder.addStateStore(CountStores.uncached(CountStores.SIGHTINGS, new JsonSerde<>(SightingView.class)));
        builder.addStateStore(CountStores.uncached(CountStores.EVENT_TIMES, Serdes.String()));
        builder.addStateStore(CountStores.uncached(CountStores.EVENT_STARTS, Serdes.Long()));
        builder.addStateStore(CountStores.store(CountStores.FRAME_ANIMALS, Serdes.Long()));
        builder.addStateStore(CountStores.store(CountStores.TALLIES, LongsSerde.TALLY));
        builder.addStateStore(CountStores.store(CountStores.PRESENCE, LongsSerde.PRESENCE));
        builder.addStateStore(CountStores.store(CountStores.ACTIVITY, LongsSerde.ACTIVITY));
        builder.addStateStore(CountStores.markers(CountStores.PENDING));
        builder.addStateStore(CountStores.uncached(CountStores.SITE_INDIVIDUAL_TIMES, Serdes.String()));
        builder.addStateStore(CountStores.store(CountStores.SITE_PROFILES, SiteProfile.class));
        builder.addStateStore(CountStores.store(CountStores.INDIVIDUALS, IndividualRecord.class));
        builder.addStateStore(CountStores.markers(CountStores.INDIVIDUAL_SIGHTINGS));

        KStream<String, Sighting> sightings = builder.stream(Topics.SIGHTINGS.name(),
                        Consumed.with(keys, sightingSerde).withName("sightings"))
                .filter((site, sighting) -> sighting != null && animal(sighting), Named.as("animal-sightings"));
        KStream<String, IndividualUpdate> individuals = builder.stream(Topics.INDIVIDUALS.name(),
                Consumed.with(keys, individualSerde).withName("individuals"));
        KStream<String, Correction> corrections = builder.stream(Topics.CORRECTIONS.name(),
                Consumed.with(keys, checked(correctionSerde)).withName("corrections"));

        KStream<String, FrameDetections> detections = builder.stream(Topics.DETECTIONS.name(),
                Consumed.with(keys, detectionSerde).withName("detections"));

        // the frame stage reads, by frame: what the detector said of each frame, the identifier's sightings of it,
        // and what reviewers decided about it; it says which sightings are new, changed or gone
        KStream<String, Message> reviewed = sightings.map((site, s) ->
                                KeyValue.pair(s.getDetection().getFrameId(), (Message) new Message.Arrival(SightingFacts.of(s))),
                        Named.as("arrivals"))
                .merge(detections.filter((camera, d) -> d != null, Named.as("detections-present"))
                        .map((camera, d) -> KeyValue.pair(d.getFrameId(), (Message) new Message.Detected(FrameInfo.of(d))),
                                Named.as("frames-detected")))
                .merge(corrections.filter((frame, c) -> c != null, Named.as("corrections-present"))
                        .mapValues(c -> (Message) new Message.Corrected(CorrectionFacts.of(c)), Named.as("corrections-read")))
                .repartition(Repartitioned.with(keys, messages).withName("by-frame")
                        .withNumberOfPartitions(settings.partitions()))
                .process(() -> new FrameStage(CountStores.FRAMES), Named.as("frame-stage"), CountStores.FRAMES);

        // the gallery stage reads, by individual: each individual's latest state, and the sightings naming one
        individuals.<Message>mapValues(CountsTopology::state, Named.as("individual-states"))
                .merge(sightings.filter((site, s) -> s.getIndividualId() != null, Named.as("sightings-naming"))
                        .map((site, s) -> KeyValue.pair(s.getIndividualId(), naming(s)), Named.as("namings")))
                .to(settings.galleryTopic(), Produced.with(keys, messages).withName("to-gallery"));
        Map<String, KStream<String, Message>> fromGallery = builder.stream(settings.galleryTopic(),
                        Consumed.with(keys, messages).withName("gallery"))
                .process(() -> new GalleryProcessor(CountStores.GALLERY), Named.as("gallery-stage"), CountStores.GALLERY)
                .split(Named.as("gallery-"))
                .branch((individual, m) -> m instanceof Message.Naming, Branched.as("merges"))
                .defaultBranch(Branched.as("sightings"));
        fromGallery.get("gallery-merges").to(settings.galleryTopic(), Produced.with(keys, messages).withName("along-merges"));

        // the resolving stage reads, by sighting: the sighting as reviewed, and what the gallery says of it
        Map<String, KStream<String, Message>> resolved = reviewed
                .merge(fromGallery.get("gallery-sightings"))
                .repartition(Repartitioned.with(keys, messages).withName("by-sighting")
                        .withNumberOfPartitions(settings.partitions()))
                .process(() -> new SightingResolver(CountStores.RESOLUTIONS), Named.as("resolving-stage"),
                        CountStores.RESOLUTIONS)
                .split(Named.as("resolved-"))
                .branch((key, m) -> m instanceof Message.Membership, Branched.as("memberships"))
                .defaultBranch(Branched.as("counts"));

        // the individual stage reads, by individual: each individual's latest update, and which sightings are its own
        KStream<String, Message> profiles = individuals.<Message>mapValues(CountsTopology::record, Named.as("individual-records"))
                .merge(resolved.get("resolved-memberships"))
                .repartition(Repartitioned.with(keys, messages).withName("by-individual")
                        .withNumberOfPartitions(settings.partitions()))
                .process(IndividualProcessor::new, Named.as("individual-stage"), CountStores.INDIVIDUAL_STORES);

        // the counting stage reads, by site: each sighting once, changes of its individual, and the profiles
        // of the individuals seen there
        resolved.get("resolved-counts").merge(profiles)
                .repartition(Repartitioned.with(keys, messages).withName("by-site")
                        .withNumberOfPartitions(settings.partitions()))
                .process(() -> new SiteCounter(windows, settings.independence(), settings.publishInterval()),
                        Named.as("counting-stage"), CountStores.SITE_STORES)
                .to(Topics.SITE_COUNTS.name(), Produced.with(keys, siteCountSerde).withName("to-site-counts")
                        .withStreamPartitioner(bySite()));
        return builder.build();
    }

    /**
     * Sightings are of animals only; should anything else come (a person would be the identifier's bug), it
     * is not counted, shown or exported, and the log says so.
     */
    static boolean animal(Sighting sighting) {
        if (sighting.getDetection().getCategory() == DetectionCategory.ANIMAL) {
            return true;
        }
        log.warn("sighting {} at site {} is of a {}, not an animal: not counted", sighting.getSightingId(),
                sighting.getSiteId(), sighting.getDetection().getCategory());
        return false;
    }

    /**
     * Corrections as read, each checked by {@link CorrectionRules}: one that breaks them fails to deserialise,
     * so it goes to {@code dead-letters} with the reason, in the same transaction, and the stream moves on.
     */
    static Serde<Correction> checked(Serde<Correction> serde) {
        Deserializer<Correction> read = serde.deserializer();
        Deserializer<Correction> checking = (topic, bytes) -> {
            Correction c = read.deserialize(topic, bytes);
            if (c != null) {
                CorrectionRules.problem(c).ifPresent(problem -> {
                    throw new SerializationException("correction " + c.getCorrectionId() + " of frame " + c.getFrameId()
                            + " cannot be applied: " + problem);
                });
            }
            return c;
        };
        return Serdes.serdeFrom(serde.serializer(), checking);
    }

    /** An individual's update as the gallery stage needs it; a tombstone is an individual that is gone. */
    static Message state(String individualId, IndividualUpdate update) {
        if (update == null) {
            return new Message.IndividualState(individualId, GalleryEntry.DELETED, null, List.of(), 0);
        }
        return new Message.IndividualState(individualId, update.getStatus().name(), update.getMergedInto(),
                List.copyOf(update.getSightingIds()), update.getTime().toEpochMilli());
    }

    /** An individual's update as the individual stage keeps it; a tombstone is an individual that is gone. */
    static Message record(String individualId, IndividualUpdate update) {
        return new Message.Individual(individualId, update == null ? null : IndividualRecord.of(update));
    }

    static Message naming(Sighting sighting) {
        return new Message.Naming(sighting.getSightingId(), sighting.getIndividualId(), List.of());
    }

    /**
     * {@code site-counts} keys are {@code site/window}; every window of a site goes to the partition the
     * site id alone would, so one consumer sees all of a site's counts in order.
     */
    static StreamPartitioner<String, SiteCount> bySite() {
        return (topic, key, count, partitions) -> Optional.of(Set.of(
                Utils.toPositive(Utils.murmur2(count.getSiteId().getBytes(StandardCharsets.UTF_8))) % partitions));
    }
}
