package org.trapline.identifier;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.decide.Decisions;
import org.trapline.identifier.http.IdentifierApi;
import org.trapline.identifier.identification.FrameIdentification;
import org.trapline.identifier.identification.IdentificationLoop;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.identifier.match.SpeciesMatchers;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.identifier.review.ReviewException;
import org.trapline.identifier.sequence.Sequencer;
import org.trapline.identifier.species.UnmarkedGalleries;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.identifier.state.ReviewTransactions;
import org.trapline.identifier.state.StateTopics;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpSettings;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.runtime.lifecycle.ServiceMain;
import org.trapline.runtime.loop.LoopClients;
import org.trapline.runtime.loop.LoopSettings;
import org.trapline.runtime.metrics.ServiceMetrics;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.Sighting;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The identifier service: reads every frame's {@link FrameDetections}, crops each animal, matches it against the
 * gallery of known individuals and decides who it is (a known individual, a question for a reviewer, or a new
 * provisional individual), publishing one {@link Sighting} per animal on {@code sightings}, keyed by site, with its
 * event (burst) id and its species as its event's vote names it ({@link FrameIdentification}).
 *
 * <p>Exactly once: a poll's sightings, gallery updates, review-queue entries, camera sequences and the consumer's
 * offsets are committed in one transaction ({@link IdentificationLoop}). The gallery, the review queue and the open
 * sequences ({@link IdentifierState}) are kept on compacted topics and rebuilt from them on start, and again after an
 * aborted batch, so what the service holds in memory is always what was committed. People's decisions through the
 * review API ({@link IdentifierApi}) are committed in transactions of their own ({@link ReviewTransactions}), under
 * the same lock. One identifier instance owns the gallery.
 *
 * <p>Configuration: {@link IdentifierSettings}; {@code identifier.instance.id} (main) and
 * {@code identifier.max.poll.records} (16) as {@link LoopSettings} says; {@code identifier.http.host} and
 * {@code identifier.http.port} (8084) as {@link HttpSettings} says; {@code identifier.identify.max.image.bytes}
 * (50 MB: the largest photo {@code POST /api/identify} takes); {@code identifier.ingest.url}
 * (http://127.0.0.1:8082: where a photo to record is sent); {@code identifier.retire.unmarked} (true: on start, retire
 * the provisional individuals a gallery holds of species now unmarked, {@link UnmarkedGalleries}).
 */
public final class IdentifierService implements AutoCloseable {

    /** Where its API listens: {@code identifier.http.host} (127.0.0.1) and {@code identifier.http.port} (8084; 0 picks a free one). */
    public static final HttpSettings.Keys HTTP = new HttpSettings.Keys("identifier.http.host", "identifier.http.port", 8084);

    private static final Logger log = LoggerFactory.getLogger(IdentifierService.class);
    public static final String SERVICE = "identifier";

    private final SpeciesMatchers matchers;
    private final ServiceMetrics metrics;
    private final ReviewTransactions reviews;
    private final IdentificationLoop loop;
    private final ServiceHttp http;

    private IdentifierService(SpeciesMatchers matchers, ServiceMetrics metrics, ReviewTransactions reviews,
                              IdentificationLoop loop, ServiceHttp http) {
        this.matchers = matchers;
        this.metrics = metrics;
        this.reviews = reviews;
        this.loop = loop;
        this.http = http;
    }

    public static IdentifierService start(TraplineConfig config) throws IOException {
        new TopicSetup(config).run();
        IdentifierSettings settings = IdentifierSettings.fromConfig(config);
        Clock clock = Clock.systemUTC();
        Crops crops = new Crops(BlobStores.fromConfig(config), settings.cropMargin());
        Decisions decisions = new Decisions(settings.thresholds());
        SpeciesMatchers matchers = SpeciesMatchers.load(settings);
        IdentifierState state = new IdentifierState(matchers, reference -> crops.crop(reference.getBlob(), reference.getBbox()),
                new Sequencer(settings.sequenceGap(), settings.maxEventVotes()), settings.maxReferences(), clock);
        IdentifierRecords records = IdentifierRecords.fromConfig(config);

        LoopSettings loopSettings = LoopSettings.fromConfig(config, SERVICE, "main", 16);
        LoopClients clients = LoopClients.connect(new KafkaClientSettings(config), loopSettings);
        ServiceMetrics metrics = new ServiceMetrics().bind(clients.consumer()).bind(clients.producer());
        state.register(metrics.registry());
        FrameIdentification identification = new FrameIdentification(state, settings, crops, decisions,
                new DeadLetterRouter(SERVICE, Topics.DEAD_LETTERS.valueSerde(config).serializer(), clock), records,
                metrics.registry(), clock, SERVICE);
        IdentificationLoop loop = new IdentificationLoop(loopSettings, clients, state, new StateTopics(config, SERVICE),
                identification);
        ReviewTransactions reviews = new ReviewTransactions(state,
                ReviewTransactions.producer(new KafkaClientSettings(config), loopSettings.clientName()), records,
                metrics.registry());
        UnmarkedGalleries unmarked = UnmarkedGalleries.fromConfig(settings, config);
        ServiceHttp http = IdentifierApi.create(state, reviews, new PhotoIdentifier(settings, decisions, crops), crops,
                new ApiKeyAuth(ApiKeys.fromConfig(config)), metrics, loop::alive,
                IdentifierSettings.IDENTIFY_MAX_IMAGE_BYTES.of(config),
                URI.create(IdentifierSettings.INGEST_URL.of(config)), unmarked);

        // both producers fence their predecessors before the state is read back (in the loop's start)
        reviews.start();
        loop.start();
        if (IdentifierSettings.RETIRE_UNMARKED.of(config)) {
            retireUnmarked(reviews, unmarked);
        }
        http.start(HttpSettings.fromConfig(config, HTTP));
        log.info("identifier running (matchers {}; {} individuals known) on port {}", settings.defaultMatchers(),
                state.locked(() -> state.gallery().live().size()), http.port());
        return new IdentifierService(matchers, metrics, reviews, loop, http);
    }

    /**
     * A gallery made while a species was still re-identified keeps its provisional individuals: retired here, in
     * one transaction, once the state is read back (a no-op when there are none).
     */
    private static void retireUnmarked(ReviewTransactions reviews, UnmarkedGalleries unmarked) {
        try {
            ReviewDesk.Change retired = reviews.review(desk -> desk.retireUnmarked(unmarked, SERVICE));
            if (!retired.individuals().isEmpty()) {
                log.info("retired {} provisional individuals of unmarked species: {}", retired.individuals().size(),
                        retired.individuals().stream().map(i -> i.getIndividualId() + " (" + i.getSpecies() + ")").toList());
            }
        } catch (ReviewException e) {
            // nothing was changed; POST /api/individuals/retire-unmarked does it later
            log.warn("the provisional individuals of unmarked species could not be retired: {}", e.getMessage());
        }
    }

    public int port() {
        return http.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics.registry();
    }

    public boolean alive() {
        return loop.alive();
    }

    @Override
    public void close() {
        loop.close();
        http.close();
        reviews.close();
        matchers.close();
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run(SERVICE, args, IdentifierService::start);
    }
}
