package org.trapline.aggregator;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.aggregator.counts.CountSettings;
import org.trapline.aggregator.counts.CountsTopology;
import org.trapline.aggregator.counts.Demography;
import org.trapline.aggregator.counts.Profiles;
import org.trapline.aggregator.counts.Windows;
import org.trapline.aggregator.dashboard.LiveFeed;
import org.trapline.aggregator.estimate.RandomEncounterSettings;
import org.trapline.aggregator.export.CamtrapDpExport;
import org.trapline.aggregator.http.AggregatorApi;
import org.trapline.aggregator.http.IndividualQueries;
import org.trapline.aggregator.http.LocalStores;
import org.trapline.aggregator.http.SiteQueries;
import org.trapline.aggregator.http.SpeciesSurveys;
import org.trapline.aggregator.review.CorrectionRoutes;
import org.trapline.aggregator.review.ReviewQueue;
import org.trapline.aggregator.review.ReviewRoutes;
import org.trapline.aggregator.review.ReviewTaxonomy;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.CommonSettings;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpSettings;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.runtime.lifecycle.ServiceMain;
import org.trapline.runtime.metrics.ServiceMetrics;
import org.trapline.schema.Correction;
import org.trapline.schema.SiteCount;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;

/**
 * The aggregator service: decides, for every site and window, how many animals were seen, in how many
 * independent events, how many distinct individuals they were (as the curated gallery now says) and how
 * many there probably are, from {@code sightings} and {@code individuals}, exactly once, and serves it
 * (stores queried over HTTP, {@link SiteCount}s on {@code site-counts}, a dashboard page at {@code /}).
 *
 * <p>Configuration (file plus {@code TRAPLINE_*} environment): {@code aggregator.http.host} (127.0.0.1) and
 * {@code aggregator.http.port} (8085) as {@link HttpSettings} says, {@code aggregator.advertised.host} (the name
 * other instances reach this one by, default the HTTP host), {@code aggregator.application.id}
 * (trapline-aggregator: instances with the same id share the work), {@code aggregator.stream.threads} (1),
 * {@code aggregator.commit.interval.ms} (1000: each commit is one exactly-once transaction),
 * {@code aggregator.identifier.url} (http://127.0.0.1:8084: the identifier's API, whose reference crops
 * the profile pages link to), {@code aggregator.catalog.file} (default ingest's, {@code ingest.catalog.file} or
 * {@code <data.dir>/ingest/catalog.json}), {@code aggregator.dashboard.refresh.ms} (1000: how often the
 * dashboard's live counts are looked at), {@code aggregator.export.*} (see {@link CamtrapDpExport.Project})
 * and the counting settings of {@link CountSettings} (seasons and demography among them).
 */
public final class AggregatorService implements AutoCloseable {

    /** Where its API listens: {@code aggregator.http.host} (127.0.0.1) and {@code aggregator.http.port} (8085; 0 picks a free one). */
    public static final HttpSettings.Keys HTTP = new HttpSettings.Keys("aggregator.http.host", "aggregator.http.port", 8085);

    private static final Logger log = LoggerFactory.getLogger(AggregatorService.class);
    public static final String SERVICE = "aggregator";

    private final KafkaStreams streams;
    private final ServiceHttp http;
    private final LiveFeed live;
    private final ServiceMetrics metrics;
    private final Producer<String, Correction> corrections;

    private AggregatorService(KafkaStreams streams, ServiceHttp http, LiveFeed live, ServiceMetrics metrics,
                              Producer<String, Correction> corrections) {
        this.streams = streams;
        this.http = http;
        this.live = live;
        this.metrics = metrics;
        this.corrections = corrections;
    }

    public static AggregatorService start(TraplineConfig config) {
        new TopicSetup(config).run();
        CountSettings settings = CountSettings.fromConfig(config);
        createGalleryTopic(config, settings);
        SiteDirectory sites = SiteDirectory.watching(catalogFile(config));
        Windows windows = new Windows(sites, settings.sessions(), settings.demography().seasons());
        Topology topology = CountsTopology.build(settings, windows, Topics.SIGHTINGS.valueSerde(config),
                Topics.INDIVIDUALS.valueSerde(config), Topics.DETECTIONS.valueSerde(config), Topics.CORRECTIONS.valueSerde(config),
                Topics.SITE_COUNTS.valueSerde(config));
        ServiceMetrics metrics = new ServiceMetrics();

        // HTTP first: Streams must be told the port it answers on (application.server), so the Streams client and
        // the API the health and readiness ask are made once the server listens
        AtomicReference<KafkaStreams> created = new AtomicReference<>();
        AtomicReference<AggregatorApi> answering = new AtomicReference<>();
        HttpSettings listen = HttpSettings.fromConfig(config, HTTP);
        ServiceHttp http = ServiceHttp.builder(metrics).json(AggregatorApi.JSON).configure(AggregatorApi::dashboard)
                .alive(() -> AggregatorApi.working(created.get())).healthDetail("streams", () -> AggregatorApi.state(created.get()))
                .ready("stores", () -> answering.get() != null && answering.get().queryable())
                .build().start(listen);
        HostInfo self = new HostInfo(Objects.requireNonNullElse(AggregatorSettings.ADVERTISED_HOST.of(config), listen.host()), http.port());
        AggregatorApi api = new AggregatorApi(created::get, self, sites, CamtrapDpExport.Project.fromConfig(config),
                settings.demography(), metrics.registry());
        api.routes(http.app());
        answering.set(api);
        // reviewers' corrections go to their topic like any other record; the topology reads them from there
        Producer<String, Correction> corrections = new KafkaProducer<>(
                new KafkaClientSettings(config).producer(CountSettings.applicationId(config) + "-corrections-" + self.port(), null),
                Topics.CORRECTIONS.keySerde().serializer(), Topics.CORRECTIONS.valueSerde(config).serializer());
        ApiKeyAuth auth = new ApiKeyAuth(ApiKeys.fromConfig(config));
        new CorrectionRoutes(auth, sites, corrections, AggregatorApi.JSON, Clock.systemUTC()).routes(http.app());

        Map<String, Object> props = new KafkaClientSettings(config).streams(CountSettings.applicationId(config), SERVICE);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, AggregatorSettings.STREAM_THREADS.of(config));
        // every commit is a transaction over all the stages' partitions: once a second, not ten times (a
        // kafka.commit.interval.ms given in the configuration wins)
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, AggregatorSettings.COMMIT_INTERVAL_MS.of(config));
        KafkaStreams streams = new KafkaStreams(topology, new StreamsConfig(props));
        created.set(streams);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("the aggregator stopped on an error it cannot get past (its uncommitted work is redone on restart)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        metrics.bind(streams);
        LocalStores stores = LocalStores.of(streams);
        SiteQueries siteQueries = new SiteQueries(stores, windows, sites, new Demography(settings.demography(), sites::zone),
                Clock.systemUTC());
        api.queries(siteQueries, new IndividualQueries(stores, new Profiles(sites, settings, identifierUrl(config)), Clock.systemUTC()),
                new SpeciesSurveys(siteQueries, sites, settings.independence(), RandomEncounterSettings.fromConfig(config),
                        Clock.systemUTC()));
        ReviewTaxonomy taxonomy = ReviewTaxonomy.load(config);
        new ReviewRoutes(auth, new ReviewQueue(stores, sites::zone, taxonomy, AggregatorSettings.AUDIT_SHARE.of(config),
                AggregatorSettings.AUDIT_MIN_PER_DAY.of(config)), taxonomy, blobs(config),
                AggregatorSettings.SESSION_LENGTH.of(config), AggregatorApi.JSON).routes(http.app());
        LiveFeed live = new LiveFeed(api::allSitesNow, AggregatorApi.JSON,
                Duration.ofMillis(AggregatorSettings.DASHBOARD_REFRESH_MS.of(config)));
        live.routes(http.app());
        streams.start();
        log.info("aggregator {} answering on {}:{}; {} capture session(s), {} season(s), independent events {} apart",
                CountSettings.applicationId(config), self.host(), self.port(), settings.sessions().size(),
                settings.demography().seasons().size(), settings.independence());
        return new AggregatorService(streams, http, live, metrics, corrections);
    }

    /** The gallery stage reads and writes a topic of its own; Streams creates only its internal topics. */
    private static void createGalleryTopic(TraplineConfig config, CountSettings settings) {
        short replication = (short) config.getInt(TraplineConfig.REPLICATION_FACTOR, 1);
        NewTopic topic = new NewTopic(settings.galleryTopic(), settings.partitions(), replication);
        if (replication >= 3) {
            topic.configs(Map.of("min.insync.replicas", "2"));
        }
        try (Admin admin = Admin.create(new KafkaClientSettings(config).admin())) {
            Set<String> existing = admin.listTopics().names().get();
            if (!existing.contains(settings.galleryTopic())) {
                admin.createTopics(List.of(topic)).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + settings.galleryTopic() + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + settings.galleryTopic(), e);
        }
    }

    /** Where the identifier's API is, whose crops the profile pages show ({@code aggregator.identifier.url}). */
    static URI identifierUrl(TraplineConfig config) {
        String url = AggregatorSettings.IDENTIFIER_URL.of(config);
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("configuration 'aggregator.identifier.url' must be the identifier's base URL, "
                    + "e.g. http://identifier:8084, not '" + url + "'", e);
        }
    }

    /** Where the frames' images are, which the workbench shows (the redacted copies the detector wrote). */
    private static BlobStore blobs(TraplineConfig config) {
        try {
            return BlobStores.fromConfig(config);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the blob store cannot be opened: " + e.getMessage(), e);
        }
    }

    static Path catalogFile(TraplineConfig config) {
        return CommonSettings.catalogFile(config, AggregatorSettings.CATALOG_FILE);
    }

    public int port() {
        return http.port();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics.registry();
    }

    @Override
    public void close() {
        live.close();
        http.close();
        corrections.close(Duration.ofSeconds(10));
        streams.close(Duration.ofSeconds(30));
        metrics.close();
    }

    public static void main(String[] args) throws Exception {
        ServiceMain.run(SERVICE, args, AggregatorService::start);
    }
}
