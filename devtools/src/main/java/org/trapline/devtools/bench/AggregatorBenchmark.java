package org.trapline.devtools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.trapline.aggregator.AggregatorService;
import org.trapline.aggregator.counts.CountStores;
import org.trapline.aggregator.counts.Keys;
import org.trapline.aggregator.counts.Tally;
import org.trapline.aggregator.counts.Windows;
import org.trapline.synthetic.SyntheticSeason;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.devtools.local.LocalStack;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.localstack.process.FreePorts;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The aggregator's throughput beside a plain consumer's, in one run, on the same topic: a synthetic
 * season of sightings (and its gallery) is on {@code sightings} before either starts. The plain consumer
 * reads it (read committed, Avro through the registry's serde) and does nothing else; the aggregator
 * counts it through all its stages, exactly once, with state in RocksDB and changelogs. Both measured at
 * steady state, from the first tenth of the sightings to the last: the aggregator from its counting
 * stores (every sighting counted), the consumer from its own reads. The ratio is the result.
 */
@Command(name = "aggregator", mixinStandardHelpOptions = true,
        description = "The aggregator's sightings/s through Kafka Streams beside a plain consumer's read rate of the same topic.")
public final class AggregatorBenchmark implements Callable<Integer> {

    @Option(names = "--sightings", defaultValue = "20000", description = "Sightings in the season (default: ${DEFAULT-VALUE}).")
    int sightings;

    @Option(names = "--sites", defaultValue = "8", description = "Sites (default: ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--stream-threads", defaultValue = "1", description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--commit-interval-ms", description = "Kafka Streams' commit interval (default: the aggregator's).")
    Integer commitIntervalMs;

    @Option(names = "--data-dir", defaultValue = ".trapline/bench-aggregator", description = "Scratch data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        IngestBenchmark.deleteRecursively(dataDir);
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next()))) {
            String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            TraplineConfig config = stack.config().with(Map.of(
                    "aggregator.application.id", run,
                    "aggregator.http.port", "0",
                    "aggregator.stream.threads", String.valueOf(streamThreads),
                    "aggregator.catalog.file", dataDir.resolve("catalog.json").toString()));
            if (commitIntervalMs != null) {
                config = config.with("kafka.commit.interval.ms", String.valueOf(commitIntervalMs));
            }
            new TopicSetup(config).run();
            List<String> siteIds = IntStream.range(0, sites).mapToObj(i -> run + "-site" + i).toList();
            SyntheticSeason season = new SyntheticSeason(42, run, siteIds, 4, 8, Instant.parse("2026-03-01T00:00:00Z"));
            List<Sighting> all = season.next(sightings);
            List<IndividualUpdate> gallery = season.gallery(season.clock().plusSeconds(60));
            publish(config, all, gallery);

            Rate consumer = plainConsumer(config, all.size());
            Rate aggregator;
            try (AggregatorService service = AggregatorService.start(config)) {
                aggregator = counted(service.streams(), siteIds, all.size());
            }

            System.out.printf("%nAggregator benchmark: %,d sightings at %d sites (%d individuals), %d stream thread(s), "
                            + "local stack, %d cores%n%n", all.size(), sites, gallery.size(), streamThreads,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("| path | sightings | seconds | sightings/s | ratio to consumer |%n|---|---:|---:|---:|---:|%n");
            System.out.printf("| aggregator (3 stages, exactly once, RocksDB + changelogs) | %,d | %.2f | %,.0f | %.3f |%n",
                    aggregator.count(), aggregator.seconds(), aggregator.perSecond(), aggregator.perSecond() / consumer.perSecond());
            System.out.printf("| plain consumer (read committed, Avro) | %,d | %.2f | %,.0f | 1.000 |%n",
                    consumer.count(), consumer.seconds(), consumer.perSecond());
        }
        return 0;
    }

    /** How many were done in how long, at steady state. */
    record Rate(long count, double seconds) {
        double perSecond() {
            return count / seconds;
        }
    }

    private static void publish(TraplineConfig config, List<Sighting> all, List<IndividualUpdate> gallery) {
        var settings = new KafkaClientSettings(config);
        try (var producer = new KafkaProducer<>(settings.producer("bench-aggregator", null),
                Topics.SIGHTINGS.keySerde().serializer(), Topics.SIGHTINGS.valueSerde(config).serializer());
             var updates = new KafkaProducer<>(settings.producer("bench-aggregator-gallery", null),
                     Topics.INDIVIDUALS.keySerde().serializer(), Topics.INDIVIDUALS.valueSerde(config).serializer())) {
            for (Sighting s : all) {
                producer.send(new ProducerRecord<>(Topics.SIGHTINGS.name(), s.getSiteId(), s));
            }
            for (IndividualUpdate u : gallery) {
                updates.send(new ProducerRecord<>(Topics.INDIVIDUALS.name(), u.getIndividualId(), u));
            }
        }
    }

    /** A plain consumer reading the season, timed from its first tenth to its last record. */
    private static Rate plainConsumer(TraplineConfig config, int expected) {
        var props = new KafkaClientSettings(config).consumer("bench-plain-" + UUID.randomUUID(), "bench-plain");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), Topics.SIGHTINGS.valueSerde(config).deserializer())) {
            consumer.subscribe(List.of(Topics.SIGHTINGS.name()));
            long read = 0;
            long start = 0;
            long tenth = expected / 10;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (read < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the plain consumer read only " + read + " of " + expected + " sightings");
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && ++read == tenth) {
                        start = System.nanoTime();
                    }
                }
            }
            return new Rate(expected - tenth, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The aggregator counting the season: all-time sightings over the sites, from a tenth to all. */
    private static Rate counted(KafkaStreams streams, List<String> sites, int expected) throws InterruptedException {
        long tenth = expected / 10;
        long start = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (true) {
            long counted = countedSoFar(streams, sites);
            long now = System.nanoTime();
            if (start == 0 && counted >= tenth) {
                start = now;
            }
            if (counted >= expected) {
                return new Rate(expected - tenth, (now - start) / 1e9);
            }
            if (now > deadline) {
                throw new IllegalStateException("the aggregator counted only " + counted + " of " + expected + " sightings");
            }
            Thread.sleep(20);
        }
    }

    private static long countedSoFar(KafkaStreams streams, List<String> sites) {
        try {
            var tallies = streams.store(StoreQueryParameters.fromNameAndType(CountStores.TALLIES,
                    QueryableStoreTypes.<String, Tally>keyValueStore()));
            long counted = 0;
            for (String site : sites) {
                Tally t = tallies.get(Keys.of(site, Windows.ALL, Keys.ALL_SPECIES));
                counted += t == null ? 0 : t.sightings();
            }
            return counted;
        } catch (InvalidStateStoreException notYet) {
            return 0;
        }
    }
}
