package org.trapline.devtools.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.process.FreePorts;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.TopicSnapshot;
import org.trapline.topics.Topics;

/**
 * Each service killed with SIGKILL mid-stream and started again, every one a real OS process against
 * the real broker and registry: no acknowledged frame is lost, no frame is detected twice, no animal is
 * sighted twice or not at all, and every sighting the gallery claims is claimed once.
 */
@ExtendWith(TestStackExtension.class)
class PipelineCrashIT {

    static final String GATEWAY_KEY = ApiKeys.newKey();
    static final String OPERATOR_KEY = ApiKeys.newKey();
    /** Every frame of the test is taken at this site; other tests of the JVM leave records of their own sites. */
    static final String SITE = "crash-site";

    @Test
    void killingEachServiceMidStreamLosesAndDuplicatesNothing(TestStack stack, @TempDir Path dataDir) throws Exception {
        SharedData shared = SharedData.locate();
        Map<String, String> values = new LinkedHashMap<>(stack.config(dataDir.resolve("services")));
        values.put("models.dir", shared.models().toString());
        for (ServiceKind service : ServiceKind.values()) {
            values.put(service.portKey, Integer.toString(FreePorts.next()));
        }
        // every species re-identified: the crash test counts individuals through the kills and sexes one
        values.put("identifier.default.mode", "marked");
        values.put("ingest.gateway.north.key.sha256", ApiKeys.hash(GATEWAY_KEY));
        values.put("ingest.gateway.north.cameras", "gateway-cam");
        values.put("ingest.operator.crash.key.sha256", ApiKeys.hash(OPERATOR_KEY));
        values.put("aggregator.seasons", "crash");
        values.put("aggregator.season.crash.period", "1970-01-01T00:00:00Z/2100-01-01T00:00:00Z");
        values.put("detector.max.poll.records", "4");  // small batches: a kill lands between commits
        values.put("identifier.max.poll.records", "4");
        Path configFile = dataDir.resolve("trapline.properties");
        try (Writer writer = Files.newBufferedWriter(configFile)) {
            for (var entry : values.entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
            }
        }
        TraplineConfig config = TraplineConfig.load(configFile, Map.of());
        new TopicSetup(config).run();
        Map<String, Path> cards = Map.of(
                "trap-cam", shared.images().resolve("camera-traps"),
                "yard-cam", shared.images().resolve("animals"),
                "empty-cam", shared.images().resolve("camera-traps-empty"));
        FolderImport folders = new FolderImport(config);
        folders.register(SITE, cards);
        folders.register(SITE, Map.of("gateway-cam", shared.images().resolve("reid-manta")));

        List<String> acknowledged = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode aggregated;
        try (Pipeline pipeline = Pipeline.start(configFile, dataDir, dataDir.resolve("logs"),
                EnumSet.allOf(ServiceKind.class))) {
            CompletableFuture<List<FolderImport.CameraImport>> importing =
                    CompletableFuture.supplyAsync(unchecked(() -> folders.run(SITE, cards)));

            awaitAtLeast(() -> count(config, Topics.DETECTIONS.name()), 3, "the detector is under way");
            pipeline.kill(ServiceKind.DETECTOR);
            pipeline.start(ServiceKind.DETECTOR);

            awaitAtLeast(() -> count(config, Topics.SIGHTINGS.name()), 3, "the identifier is under way");
            pipeline.kill(ServiceKind.IDENTIFIER);
            pipeline.start(ServiceKind.IDENTIFIER);

            awaitAtLeast(() -> count(config, Topics.SIGHTINGS.name()), 8, "sightings for the aggregator to count");
            pipeline.kill(ServiceKind.AGGREGATOR);
            pipeline.start(ServiceKind.AGGREGATOR);
            assertEquals(34, importing.get().stream().mapToInt(c -> c.summary().images()).sum(), "the cards' images");

            // a gateway uploads one photo at a time; ingest dies half-way and comes back
            List<Path> photos;
            try (var files = Files.walk(shared.images().resolve("reid-manta"))) {
                photos = files.filter(Files::isRegularFile).sorted().toList();
            }
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < photos.size(); i++) {
                if (i == photos.size() / 2) {
                    pipeline.kill(ServiceKind.INGEST);
                    assertTrue(upload(http, pipeline, photos.get(i)) == null, "nobody answers while ingest is down");
                    pipeline.start(ServiceKind.INGEST);
                }
                String frameId = upload(http, pipeline, photos.get(i));
                assertTrue(frameId != null, "upload of " + photos.get(i).getFileName() + " acknowledged");
                acknowledged.add(frameId);
            }
            pipeline.awaitIdle(Duration.ofMinutes(5));
            aggregated = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(pipeline.url(ServiceKind.AGGREGATOR) + "/api/sites/crash-site")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            checkPopulationView(config, pipeline, aggregated.get("distinctIndividuals").asLong());
        }

        // every frame once
        Map<String, Integer> framesSeen = new HashMap<>();
        TopicSnapshot.readAll(new KafkaClientSettings(config), "crash-it", Topics.FRAMES.name(),
                Topics.FRAMES.valueSerde(config).deserializer(), Duration.ofMinutes(1), (r, e) -> { },
                (key, frame) -> {
                    if (frame.getSiteId().equals(SITE)) {  // the test JVM's other tests share the broker
                        framesSeen.merge(frame.getFrameId(), 1, Integer::sum);
                    }
                });
        assertEquals(34 + acknowledged.size(), framesSeen.size(), "every imported and acknowledged frame is in");
        assertTrue(framesSeen.keySet().containsAll(acknowledged), "no acknowledged upload lost");

        // every frame detected exactly once
        Map<String, Integer> detectedTimes = new HashMap<>();
        Map<String, FrameDetections> detections = new HashMap<>();
        TopicSnapshot.readAll(new KafkaClientSettings(config), "crash-it", Topics.DETECTIONS.name(),
                Topics.DETECTIONS.valueSerde(config).deserializer(), Duration.ofMinutes(1), (r, e) -> { },
                (key, d) -> {
                    if (d.getSiteId().equals(SITE)) {
                        detectedTimes.merge(d.getFrameId(), 1, Integer::sum);
                        detections.put(d.getFrameId(), d);
                    }
                });
        assertEquals(framesSeen.keySet(), detectedTimes.keySet(), "every frame has its detections");
        assertEquals(Set.of(1), Set.copyOf(detectedTimes.values()), "and has them once");

        // every animal sighted exactly once
        Set<String> animals = new TreeSet<>();
        detections.values().forEach(d -> {
            List<Detection> boxes = d.getDetections();
            for (int i = 0; i < boxes.size(); i++) {
                if (boxes.get(i).getCategory() == DetectionCategory.ANIMAL) {
                    animals.add(d.getFrameId() + ":" + i);
                }
            }
        });
        Map<String, Integer> sightedTimes = new HashMap<>();
        Map<String, Sighting> sightings = new HashMap<>();
        TopicSnapshot.readAll(new KafkaClientSettings(config), "crash-it", Topics.SIGHTINGS.name(),
                Topics.SIGHTINGS.valueSerde(config).deserializer(), Duration.ofMinutes(1), (r, e) -> { },
                (key, s) -> {
                    if (s.getSiteId().equals(SITE)) {
                        sightedTimes.merge(s.getSightingId(), 1, Integer::sum);
                        sightings.put(s.getSightingId(), s);
                    }
                });
        assertTrue(animals.size() >= 10, "enough animals to mean something: " + animals.size());
        assertEquals(animals, new TreeSet<>(sightedTimes.keySet()), "one sighting per animal detection");
        assertEquals(Set.of(1), Set.copyOf(sightedTimes.values()), "and one only");

        // the species stage ran inside the detector through the kills: every animal box of a published frame has
        // one classification, and the sightings carry the classifier's scientific names
        Set<String> classified = new TreeSet<>();
        detections.values().forEach(d -> d.getClassifications().forEach(c -> {
            assertEquals(DetectionCategory.ANIMAL, d.getDetections().get(c.getDetection()).getCategory(),
                    "only animal boxes are classified: " + d.getFrameId());
            assertTrue(classified.add(d.getFrameId() + ":" + c.getDetection()), "one classification a box: " + d.getFrameId());
        }));
        Set<String> animalsOfPublishedFrames = new TreeSet<>();
        animals.stream().filter(a -> !detections.get(a.substring(0, a.lastIndexOf(':'))).getEmpty())
                .forEach(animalsOfPublishedFrames::add);
        assertEquals(animalsOfPublishedFrames, classified, "every animal box classified once");
        assertTrue(sightings.values().stream().filter(s -> s.getScientificName() != null).count() >= sightings.size() / 2,
                "most sightings named by the classifier: " + sightings.values().stream().map(s -> s.getScientificName()).toList());

        // the gallery claims each identified sighting once
        Map<String, IndividualUpdate> gallery = TopicSnapshot.latest(new KafkaClientSettings(config), "crash-it",
                Topics.INDIVIDUALS.name(), Topics.INDIVIDUALS.valueSerde(config).deserializer(), Duration.ofMinutes(1), (r, e) -> { });
        Map<String, Integer> claimed = new HashMap<>();
        gallery.values().stream().filter(i -> i.getStatus() != IndividualStatus.MERGED && i.getSiteIds().contains(SITE))
                .forEach(i -> i.getSightingIds().stream()
                        // sightings of this test's frames (an individual may be seen at other tests' sites too)
                        .filter(s -> framesSeen.containsKey(s.substring(0, s.lastIndexOf(':'))))
                        .forEach(s -> claimed.merge(s, 1, Integer::sum)));
        Set<String> identified = new TreeSet<>();
        sightings.values().stream().filter(s -> s.getIndividualId() != null).forEach(s -> identified.add(s.getSightingId()));
        assertEquals(identified, new TreeSet<>(claimed.keySet()), "the gallery and the sightings agree on who was identified");
        assertEquals(Set.of(1), Set.copyOf(claimed.values()), "no sighting belongs to two individuals");

        // the aggregator, killed and restarted too, counts exactly what the topics hold
        Set<String> individuals = new TreeSet<>();
        gallery.values().stream().filter(i -> i.getStatus() != IndividualStatus.MERGED && i.getSiteIds().contains(SITE))
                .filter(i -> !i.getSightingIds().isEmpty()).forEach(i -> individuals.add(i.getIndividualId()));
        assertEquals(sightings.size(), aggregated.get("sightings").asLong(), aggregated.toString());
        assertEquals(individuals.size(), aggregated.get("distinctIndividuals").asLong(), aggregated.toString());
    }

    /**
     * The population view after the faults: one individual of the site sexed through the identifier's review
     * API, the aggregator's demography (as the main job prints it) counts every individual of the site known
     * alive and that one female, sex ratio 1 of 1; the distribution map page is served.
     */
    static void checkPopulationView(TraplineConfig config, Pipeline pipeline, long individualsCounted) throws Exception {
        String female = TopicSnapshot.latest(new KafkaClientSettings(config), "crash-it", Topics.INDIVIDUALS.name(),
                        Topics.INDIVIDUALS.valueSerde(config).deserializer(), Duration.ofMinutes(1), (r, e) -> { })
                .values().stream().filter(i -> i.getStatus() != IndividualStatus.MERGED && !i.getSightingIds().isEmpty())
                .filter(i -> i.getSiteIds().contains(SITE)).map(IndividualUpdate::getIndividualId).sorted().findFirst().orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> sexed = http.send(HttpRequest.newBuilder(URI.create(pipeline.url(ServiceKind.IDENTIFIER)
                        + "/api/individuals/" + female + "/sex")).header("X-Api-Key", OPERATOR_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"sex\": \"FEMALE\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, sexed.statusCode(), sexed.body());

        String aggregator = pipeline.url(ServiceKind.AGGREGATOR);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        PopulationView view;
        ServiceClient reads = new ServiceClient(Duration.ofMinutes(1));
        while (true) {
            view = PopulationView.read(reads, aggregator, List.of(SITE));
            long females = view.speciesBySite().get(SITE).stream().mapToLong(s -> s.path("sex").path("female").asLong()).sum();
            if (females == 1) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the female not in the demography within 2 minutes: " + view);
            Thread.sleep(500);  // between looks; the deadline above bounds the wait
        }
        view.print(System.out);
        assertEquals("crash", view.season());
        List<com.fasterxml.jackson.databind.JsonNode> species = view.speciesBySite().get(SITE);
        assertEquals(individualsCounted, species.stream().mapToLong(s -> s.path("knownAlive").asLong()).sum(),
                "every individual of the site known alive in a season over all time");
        com.fasterxml.jackson.databind.JsonNode ratio = species.stream().filter(s -> s.path("sex").path("female").asLong() == 1)
                .findFirst().orElseThrow().path("sexRatio");
        assertEquals(1, ratio.path("of").asLong(), ratio.toString());
        assertEquals(1.0, ratio.path("estimate").asDouble(), 1e-9, ratio.toString());
        HttpResponse<String> map = http.send(HttpRequest.newBuilder(URI.create(aggregator + "/map.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, map.statusCode());
        assertTrue(map.body().contains("map.js"), "the distribution map page");
    }

    /** The frame id ingest acknowledged, or null when nobody answered. */
    static String upload(HttpClient http, Pipeline pipeline, Path photo) throws Exception {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(pipeline.url(ServiceKind.INGEST)
                            + "/api/frames?camera=gateway-cam")).header("X-Api-Key", GATEWAY_KEY)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(photo))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
            return new ObjectMapper().readTree(response.body()).get("frameId").asText();
        } catch (java.net.ConnectException e) {
            return null;
        }
    }

    static long count(TraplineConfig config, String topic) {
        long[] n = {0};
        TopicSnapshot.readAll(new KafkaClientSettings(config), "crash-it-count", topic,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), Duration.ofSeconds(30), (r, e) -> { },
                (key, value) -> n[0]++);
        return n[0];
    }

    static void awaitAtLeast(Supplier<Long> count, long at, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (count.get() < at) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 3 minutes: " + what);
            }
            Thread.sleep(100);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    static <T> Supplier<T> unchecked(ThrowingSupplier<T> supplier) {
        return () -> {
            try {
                return supplier.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
