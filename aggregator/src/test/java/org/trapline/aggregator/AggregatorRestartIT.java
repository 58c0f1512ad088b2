package org.trapline.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.synthetic.SyntheticSeason;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Correction;
import org.trapline.schema.CorrectionKind;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.process.FreePorts;
import org.trapline.localstack.process.JavaProcess;
import org.trapline.topics.TopicSetup;

/**
 * Exactly once across a crash: an aggregator killed (SIGKILL, its own process) in the middle of a stream
 * of sightings and gallery updates, then started again on the same state, ends with exactly the counts
 * an aggregator that ran through without a break has for the same topics.
 */
@ExtendWith(TestStackExtension.class)
class AggregatorRestartIT {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    static final int BATCHES = 12;
    static final int BATCH = 250;

    @Test
    void aRestartMidStreamEndsWithTheCountsOfARunWithoutOne(TestStack stack, @TempDir Path dir) throws Exception {
        String run = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> sites = Season.sitesOnEveryPartition(run, 4, 6);
        Path catalog = AggregatorServiceIT.catalog(dir, sites);
        Map<String, String> settings = new HashMap<>(AggregatorServiceIT.config(stack, dir.resolve("crashing"), run, catalog).asMap());
        // a capture session over the season's first days, so that estimates are compared too
        settings.put("aggregator.sessions", "early");
        settings.put("aggregator.session.early.occasion1", "2026-03-01T00:00:00Z/2026-03-03T00:00:00Z");
        settings.put("aggregator.session.early.occasion2", "2026-03-03T00:00:00Z/2026-03-06T00:00:00Z");
        int childPort = FreePorts.next();
        settings.put("aggregator.http.port", String.valueOf(childPort));
        TraplineConfig crashing = TraplineConfig.of(settings);

        SyntheticSeason season = new SyntheticSeason(23, run, sites, 2, 6, START);
        List<List<Sighting>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            batches.add(season.next(BATCH));
        }
        List<List<IndividualUpdate>> updates = galleryAlong(season, batches);
        Map<String, Long> perSite = new HashMap<>(batches.stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(Sighting::getSiteId, Collectors.counting())));
        List<List<Correction>> corrections = correctionsAlong(batches, perSite);

        new TopicSetup(crashing).run();
        Season.send(crashing, batches.get(0), updates.get(0), corrections.get(0));
        JavaProcess child = JavaProcess.start("aggregator", List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"),
                        "-Dlogback.configurationFile=trapline-test-logback.xml"),
                List.of(AggregatorService.class.getName(), writeConfig(dir.resolve("aggregator.properties"), crashing).toString()),
                dir, dir.resolve("crashing-aggregator.log"));
        CompletableFuture<Void> producing;
        try {
            child.awaitReady(() -> Http.get(childPort, "/ready").status() == 200, Duration.ofSeconds(120));
            // the rest of the season goes on arriving while the aggregator is killed and started again
            producing = CompletableFuture.runAsync(() -> {
                try {
                    for (int b = 1; b < BATCHES; b++) {
                        Season.send(crashing, batches.get(b), updates.get(b), corrections.get(b));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long counted = awaitCounted(childPort, sites, BATCH);
            child.kill();
            assertTrue(counted < (long) BATCH * BATCHES, "killed mid-stream, after " + counted + " sightings");
        } finally {
            child.close();
        }

        try (AggregatorService restarted = AggregatorService.start(crashing.with("aggregator.http.port", "0"));
             AggregatorService reference = AggregatorService.start(crashing.with(Map.of("aggregator.http.port", "0",
                     "aggregator.application.id", run + "-reference", "data.dir", dir.resolve("reference").toString())))) {
            producing.get(120, TimeUnit.SECONDS);
            // some of the season sent again, after the restart, and a batch of corrections again (a reviewer's
            // page retrying): still counted once, each correction applied once
            Season.send(crashing, batches.get(1), List.of(), corrections.get(2));

            for (String site : sites) {
                long individuals = season.individualsAt(site);
                for (AggregatorService aggregator : List.of(restarted, reference)) {
                    Http.await(aggregator.port(), "/api/sites/" + site, a -> a.status() == 200
                                    && a.json().get("sightings").asLong() == perSite.get(site)
                                    && a.json().get("distinctIndividuals").asLong() == individuals,
                            Duration.ofSeconds(180), site + ": " + perSite.get(site) + " sightings of " + individuals + " individuals");
                }
                for (String question : List.of("", "?window=session/early", "?window=day/2026-03-02", "/days", "/activity",
                        "/activity?species=leopard", "/individuals", "/individuals?window=session/early", "/estimates",
                        "/sightings?limit=100")) {
                    String path = "/api/sites/" + site + question;
                    // the gallery's last word may still be on its way to one of them: wait for it, then compare
                    Http.Answer expected = Http.get(reference.port(), path);
                    Http.Answer actual = Http.await(restarted.port(), path, a -> a.body().equals(Http.get(reference.port(), path).body()),
                            Duration.ofSeconds(60), "the restarted aggregator answers " + path + " as the uninterrupted one: "
                                    + expected.body());
                    assertEquals(200, actual.status(), path);
                }
            }
            assertTrue(Http.get(reference.port(), "/api/sites/" + sites.get(0) + "/estimates").json().size() > 0,
                    "the session has estimates to compare");
        }
    }

    /**
     * Reviewers' corrections along the season, each batch's about sightings of the batches before it (of
     * sightings no individual was named for, so that the individuals counted stay the season's): species
     * renamed (one renamed twice, the second decision winning), false boxes removed, frames that were
     * empty, boxes holding a herd, and animals on frames the detector called empty. {@code perSite} becomes
     * the sightings of the corrected data.
     */
    private static List<List<Correction>> correctionsAlong(List<List<Sighting>> batches, Map<String, Long> perSite) {
        List<List<Correction>> corrections = new ArrayList<>();
        Instant decided = Instant.parse("2026-06-01T00:00:00Z");
        int n = 0;
        for (int b = 0; b < batches.size(); b++) {
            List<Correction> these = new ArrayList<>();
            List<Sighting> earlier = b == 0 ? List.of() : batches.get(b - 1);
            for (int i = 0; i < earlier.size(); i++) {
                Sighting s = earlier.get(i);
                if (s.getIndividualId() != null || i % 9 != 0) {
                    continue;
                }
                Correction.Builder c = Correction.newBuilder().setCorrectionId("c-" + s.getSightingId() + "-" + n)
                        .setFrameId(s.getDetection().getFrameId()).setSiteId(s.getSiteId()).setCameraId(s.getCameraId())
                        .setDeploymentId(s.getDeploymentId()).setCaptureTime(s.getTime()).setSightingId(s.getSightingId())
                        .setReviewer("amara").setDecidedAt(decided.plusSeconds(n));
                switch (n++ % 5) {
                    case 0 -> {
                        c.setKind(CorrectionKind.SPECIES).setScientificName("Caracal caracal").setCommonName("caracal");
                        these.add(c.build());
                        these.add(c.setCorrectionId(c.getCorrectionId() + "-again").setScientificName("Leptailurus serval")
                                .setCommonName("serval").build());
                    }
                    case 1 -> {
                        these.add(c.setKind(CorrectionKind.BOX_REMOVED).build());
                        perSite.merge(s.getSiteId(), -1L, Long::sum);
                    }
                    case 2 -> {
                        these.add(c.setSightingId(null).setKind(CorrectionKind.EMPTY).build());
                        perSite.merge(s.getSiteId(), -1L, Long::sum);
                    }
                    case 3 -> these.add(c.setKind(CorrectionKind.COUNT).setCount(3).build());
                    default -> {
                        these.add(c.setFrameId("empty-" + s.getDetection().getFrameId()).setSightingId(null)
                                .setKind(CorrectionKind.ANIMAL_PRESENT).setScientificName("Aepyceros melampus")
                                .setCommonName("impala").setCaptureTime(s.getTime().plusSeconds(1)).build());
                        perSite.merge(s.getSiteId(), 1L, Long::sum);
                    }
                }
            }
            corrections.add(these);
        }
        return corrections;
    }

    /**
     * Gallery updates interleaved with the season: after every third batch the gallery as it stands, and
     * now and then a merge of two individuals of one site and species.
     */
    private static List<List<IndividualUpdate>> galleryAlong(SyntheticSeason season, List<List<Sighting>> batches) {
        // the batches are made already: replay which individuals exist when, from the season's final gallery
        List<List<IndividualUpdate>> updates = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            updates.add(new ArrayList<>());
        }
        Instant time = season.clock();
        updates.get(BATCHES / 3).addAll(season.gallery(time.plusSeconds(1)));
        List<String> individuals = season.individuals();
        int merges = 0;
        for (int i = 0; i < individuals.size() && merges < 3; i++) {
            String absorbed = individuals.get(i);
            String prefix = absorbed.substring(0, absorbed.lastIndexOf('-') + 1);
            String survivor = individuals.stream().filter(id -> !id.equals(absorbed) && id.startsWith(prefix)
                    && season.individuals().contains(id)).findFirst().orElse(null);
            if (survivor != null && season.individuals().contains(absorbed)) {
                updates.get(BATCHES / 2 + merges * 2).addAll(season.merge(absorbed, survivor, time.plusSeconds(10 + merges)));
                merges++;
            }
        }
        updates.get(BATCHES - 1).addAll(season.gallery(time.plusSeconds(100)));
        return updates;
    }

    /** Waits until the aggregator has counted at least {@code atLeast} sightings over all sites; returns how many. */
    private static long awaitCounted(int port, List<String> sites, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            long counted = 0;
            for (String site : sites) {
                Http.Answer a = Http.get(port, "/api/sites/" + site);
                if (a.status() == 200) {
                    counted += a.json().get("sightings").asLong();
                }
            }
            if (counted >= atLeast) {
                return counted;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the aggregator counted only " + counted + " sightings within 120 s");
            }
            Thread.sleep(100);
        }
    }

    private static Path writeConfig(Path file, TraplineConfig config) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file)) {
            for (var entry : config.asMap().entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
            }
        }
        return file;
    }
}
