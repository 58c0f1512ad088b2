package org.trapline.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.aggregator.dashboard.Chromium;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.FileSystemBlobStore;
import org.trapline.blob.JpegEncoder;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.Sighting;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;
import org.trapline.synthetic.SyntheticSeason;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.topics.Topics;

/**
 * The reviewers' workbench in a real headless Chromium against a real aggregator, driven with the keyboard: a
 * reviewer signs in with a key, renames the species of a sighting, marks a frame the detector called empty as
 * holding an animal, finds a frame that may show a person withheld, and renames a whole event of two frames at once; the dashboard, open beside it, follows
 * without a reload. Nothing is fetched from anywhere but the aggregator, and the only images are the frames the
 * detector left without a person. Screenshots: {@code target/workbench.png}, {@code target/workbench-dashboard.png}.
 */
@ExtendWith(TestStackExtension.class)
class WorkbenchBrowserIT {

    static final String REVIEWER = ApiKeys.newKey();
    static final String GATEWAY = ApiKeys.newKey();
    static final Instant T0 = Instant.parse("2026-03-10T06:00:00Z");

    @Test
    void aReviewerCorrectsWithTheKeyboardAndTheCountsFollow(TestStack stack, @TempDir Path dir) throws Exception {
        Path target = Path.of("target").toAbsolutePath();
        Optional<Path> chromium = Chromium.locateOrInstall(target.getParent().getParent(), target.resolve("chromium-install.log"));
        Assumptions.assumeTrue(chromium.isPresent(), "no Chromium here and bin/install-chromium.sh could not install it");

        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String site = run + "-site";
        String camera = SyntheticSeason.camera(site, 0);
        Path catalog = AggregatorServiceIT.catalog(dir, List.of(site));
        Path blobs = dir.resolve("blobs");
        TraplineConfig config = AggregatorServiceIT.config(stack, dir.resolve("aggregator"), run, catalog).with(Map.of(
                "blob.store", "fs", "blob.fs.dir", blobs.toString(),
                "aggregator.review.audit.share", "1.0", "aggregator.dashboard.refresh.ms", "300",
                "ingest.reviewer.thandi.key.sha256", ApiKeys.hash(REVIEWER), "ingest.reviewer.thandi.sites", site,
                "ingest.gateway.north.key.sha256", ApiKeys.hash(GATEWAY), "ingest.gateway.north.cameras", camera));

        // three frames: a "house cat" that is an ocelot, an empty frame with an impala the detector missed, and a
        // frame with a person the detector found but did not redact (its image must never be shown)
        FileSystemBlobStore store = new FileSystemBlobStore(blobs);
        FrameDetections cat = frame(run + "-cat", site, camera, T0, store, List.of(
                new Detection(DetectionCategory.ANIMAL, "animal", 0.71f, new BoundingBox(0.2f, 0.3f, 0.3f, 0.3f))), "house cat", "Felis catus");
        FrameDetections missed = frame(run + "-missed", site, camera, T0.plus(Duration.ofHours(1)), store, List.of(), null, null);
        FrameDetections person = frame(run + "-person", site, camera, T0.plus(Duration.ofHours(2)), store, List.of(
                new Detection(DetectionCategory.PERSON, "person", 0.93f, new BoundingBox(0.4f, 0.1f, 0.2f, 0.7f))), null, null);
        Sighting catSighting = sighting(cat, "house cat", "Felis catus");
        // and an event of two frames at another camera: "spotted hyenas" that are warthogs
        String otherCamera = SyntheticSeason.camera(site, 1);
        FrameDetections ev1 = frame(run + "-ev1", site, otherCamera, T0.plus(Duration.ofHours(5)), store, List.of(
                new Detection(DetectionCategory.ANIMAL, "animal", 0.88f, new BoundingBox(0.1f, 0.4f, 0.3f, 0.3f))), "spotted hyena", "Crocuta crocuta");
        FrameDetections ev2 = frame(run + "-ev2", site, otherCamera, T0.plus(Duration.ofMinutes(310)), store, List.of(
                new Detection(DetectionCategory.ANIMAL, "animal", 0.84f, new BoundingBox(0.5f, 0.4f, 0.3f, 0.3f))), "spotted hyena", "Crocuta crocuta");

        try (AggregatorService aggregator = AggregatorService.start(config);
             Chromium browser = Chromium.start(chromium.get(), dir.resolve("chromium-profile"), target.resolve("chromium.log"))) {
            send(config, List.of(cat, missed, person, ev1, ev2));
            Season.send(config, List.of(catSighting, sighting(ev1, "spotted hyena", "Crocuta crocuta"),
                    sighting(ev2, "spotted hyena", "Crocuta crocuta")), List.of());
            int port = aggregator.port();
            String origin = "http://127.0.0.1:" + port;
            Http.await(port, "/api/sites/" + site, a -> a.status() == 200 && a.json().get("sightings").asLong() == 3,
                    Duration.ofSeconds(120), "the cat and the two hyenas counted");
            assertEquals(403, Http.post(port, "/api/session", "{\"key\": \"" + GATEWAY + "\"}", null).status(),
                    "a gateway's key does not sign in");
            assertEquals(401, Http.get(port, "/api/review/queue?site=" + site).status(), "nothing without a session");

            Chromium.Page dashboard = browser.open(origin + "/");
            dashboard.viewport(1280, 1500);
            String sightingsCell = "document.querySelector('tr[data-site=\"" + site + "\"] td.sightings')?.textContent";
            dashboard.await(sightingsCell, v -> v.asText().equals("3"), Duration.ofSeconds(60), "three sightings on the dashboard");

            Chromium.Page bench = browser.open(origin + "/workbench.html?site=" + site);
            bench.viewport(1280, 1100);
            bench.await("!document.getElementById('sign-in').hidden", JsonNode::asBoolean, Duration.ofSeconds(30), "the sign-in form");
            bench.evaluate("document.getElementById('key').focus()");
            bench.type(REVIEWER);
            bench.press("Enter");
            bench.await("document.querySelectorAll('#queue li').length", v -> v.asInt() == 5, Duration.ofSeconds(30),
                    "five frames in the queue (the empty two drawn by the audit)");
            assertEquals("thandi (reviewer)", bench.evaluate("document.getElementById('who').textContent").asText());
            assertEquals(0, bench.evaluate("document.cookie.length").asInt(), "the session cookie is HttpOnly: no script sees it");

            // the cat: the species stage's answer is on the page; rename it with the keyboard
            bench.await("document.querySelector('#answers tbody tr td:nth-child(4)')?.textContent",
                    v -> v.asText().equals("house cat (Felis catus)"), Duration.ofSeconds(30), "the classifier's answer");
            bench.await("document.getElementById('image').complete && document.getElementById('image').naturalWidth",
                    v -> v.asInt() == 320, Duration.ofSeconds(30), "the frame's image");
            assertEquals(1, bench.evaluate("document.querySelectorAll('#boxes rect').length").asInt(), "its box drawn");
            bench.press("s");
            bench.type("Leopardus pardalis");
            bench.press("Enter");
            bench.await("document.getElementById('message').textContent", v -> v.asText().equals("species: saved"),
                    Duration.ofSeconds(30), "the rename saved");
            Http.await(port, "/api/sites/" + site + "/species", a -> a.status() == 200 && a.body().contains("\"Leopardus pardalis\"")
                    && !a.body().contains("\"house cat\""), Duration.ofSeconds(30), "the ocelot counted, the cat gone");

            // the frame called empty: an impala
            bench.press("j");
            bench.await("document.getElementById('frame-title').textContent", v -> v.asText().contains("called empty"),
                    Duration.ofSeconds(10), "the empty frame");
            bench.press("n");
            bench.type("Aepyceros melampus");
            bench.press("Enter");
            bench.await("document.getElementById('message').textContent", v -> v.asText().equals("animal present: saved"),
                    Duration.ofSeconds(30), "the animal saved");
            dashboard.await(sightingsCell, v -> v.asText().equals("4"), Duration.ofSeconds(30),
                    "the dashboard counts the impala, live");
            assertEquals(1, dashboard.evaluate("performance.getEntriesByType('navigation').length").asInt(), "never reloaded");
            JsonNode impala = null;
            for (JsonNode sp : Http.get(port, "/api/sites/" + site + "/species").json()) {
                if ("Aepyceros melampus".equals(sp.path("scientificName").asText())) {
                    impala = sp;
                }
            }
            assertTrue(impala != null && impala.get("unmarked").asBoolean(),
                    "a species only a reviewer has seen is counted as the unmarked are, by events: " + impala);

            // the frame with a person: withheld, its image not even addressed
            bench.press("j");
            bench.await("document.getElementById('withheld').hidden", v -> !v.asBoolean(), Duration.ofSeconds(10), "withheld");
            assertFalse(bench.evaluate("document.getElementById('image').hasAttribute('src')").asBoolean());
            assertEquals(401, Http.get(port, "/api/review/frames/" + person.getFrameId() + "/image").status(),
                    "nothing without a key or session");
            Http.Answer withheld = Http.getWithKey(port, "/api/review/frames/" + person.getFrameId() + "/image", REVIEWER);
            assertEquals(403, withheld.status(), "held back even from its site's reviewer");
            assertTrue(withheld.body().contains("held back"), withheld.body());

            // the hyenas' event, renamed at once: both frames' animals are warthogs
            bench.press("j");
            bench.await("document.getElementById('frame-title').textContent", v -> v.asText().startsWith(otherCamera),
                    Duration.ofSeconds(10), "the first frame of the other camera's event");
            bench.press("v");
            bench.await("document.querySelectorAll('#event-frames figure').length", v -> v.asInt() == 2, Duration.ofSeconds(10),
                    "the event's two frames shown together");
            bench.press("S");
            bench.type("Phacochoerus africanus");
            bench.press("Enter");
            bench.await("document.getElementById('message').textContent", v -> v.asText().equals("species for the event (2 frames): saved"),
                    Duration.ofSeconds(30), "the event renamed");
            Http.await(port, "/api/sites/" + site + "/species", a -> a.status() == 200
                            && a.body().contains("{\"species\":\"Phacochoerus africanus\",\"scientificName\":\"Phacochoerus africanus\",\"sightings\":2,")
                            && !a.body().contains("\"spotted hyena\""),
                    Duration.ofSeconds(30), "both hyenas counted as warthogs");
            Files.write(target.resolve("workbench.png"), bench.screenshot());
            Files.write(target.resolve("workbench-dashboard.png"), dashboard.screenshot());

            for (Chromium.Page page : List.of(bench, dashboard)) {
                JsonNode fetched = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)");
                for (JsonNode url : fetched) {
                    assertTrue(url.asText().startsWith(origin + "/"), "fetched from the aggregator only: " + url.asText());
                    assertFalse(url.asText().contains(person.getFrameId() + "/image"), "the person's frame never fetched");
                }
            }
            JsonNode images = bench.evaluate("[...document.images].map(i => i.getAttribute('src')).filter(s => s)");
            for (JsonNode src : images) {
                assertTrue(src.asText().startsWith("/api/review/frames/") && !src.asText().contains(person.getFrameId()), src.asText());
            }
            JsonNode audit = Http.get(port, "/api/sites/" + site + "/blank-audit").json();
            assertEquals(1, audit.get("checked").asLong(), "the impala's frame was checked");
            assertEquals(1, audit.get("holdingAnimals").asLong());
        }
    }

    /** The identifier's sighting of a frame's first box, as the species stage named it. */
    static Sighting sighting(FrameDetections f, String label, String scientific) {
        return Sighting.newBuilder().setSightingId(f.getFrameId() + ":0").setSiteId(f.getSiteId()).setCameraId(f.getCameraId())
                .setDeploymentId(f.getDeploymentId()).setTime(f.getCaptureTime()).setSpeciesLabel(label).setScientificName(scientific)
                .setDecision(MatchDecision.UNMARKED).setEventId(f.getCameraId() + "-" + f.getCaptureTime().toEpochMilli())
                .setDetection(new DetectionRef(f.getFrameId(), 0, DetectionCategory.ANIMAL, f.getDetections().get(0).getConfidence(),
                        f.getDetections().get(0).getBbox(), f.getBlob())).build();
    }

    /** A frame as the detector publishes it, its image (a grey field with a dark shape) in the blob store. */
    static FrameDetections frame(String id, String site, String camera, Instant time, FileSystemBlobStore store,
                                 List<Detection> boxes, String label, String scientific) throws Exception {
        BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(120, 130, 110));
        g.fillRect(0, 0, 320, 240);
        g.setColor(new Color(60, 50, 40));
        g.fillOval(80, 90, 90, 60);
        g.dispose();
        String key = "sha256/" + id;
        store.put(key, JpegEncoder.encode(image));
        List<SpeciesClassification> named = label == null ? List.of() : List.of(SpeciesClassification.newBuilder().setDetection(0)
                .setKind(ClassificationKind.ANIMAL).setLabel(label).setScientificName(scientific).setRank(TaxonRank.SPECIES)
                .setScore(0.38f).setSource("classifier").setTop5(List.of()).setClassifier(new ModelInfo("stand-in", "1"))
                .setFlags(List.of()).build());
        return FrameDetections.newBuilder().setFrameId(id).setSiteId(site).setCameraId(camera).setDeploymentId(camera + "-2026")
                .setCaptureTime(time).setBlob(new BlobRef("fs", key, 1000L)).setWidth(320).setHeight(240)
                .setModel(new ModelInfo("stand-in", "1")).setDetections(boxes)
                .setEmpty(boxes.stream().noneMatch(b -> b.getCategory() == DetectionCategory.ANIMAL)).setRedacted(false)
                .setProcessedTime(time).setClassifications(named).build();
    }

    static void send(TraplineConfig config, List<FrameDetections> frames) {
        try (var producer = new KafkaProducer<>(new KafkaClientSettings(config).producer("bench-it-" + UUID.randomUUID(), null),
                Topics.DETECTIONS.keySerde().serializer(), Topics.DETECTIONS.valueSerde(config).serializer())) {
            for (FrameDetections f : frames) {
                producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), f.getCameraId(), f));
            }
            producer.flush();
        }
    }
}
