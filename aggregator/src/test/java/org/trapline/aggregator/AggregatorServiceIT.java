package org.trapline.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.aggregator.export.CamtrapDpExport;
import org.trapline.aggregator.export.CamtrapDpValidator;
import org.trapline.synthetic.SyntheticSeason;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.schema.SiteCount;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.testsupport.kafka.TopicReader;
import org.trapline.topics.Topics;

/** The aggregator service on the real broker and registry: two instances sharing the work. */
@ExtendWith(TestStackExtension.class)
class AggregatorServiceIT {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    /** Configuration of one instance of an aggregator group, with a catalog of the season's sites. */
    static TraplineConfig config(TestStack stack, Path dataDir, String applicationId, Path catalog) {
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.put("aggregator.application.id", applicationId);
        settings.put("aggregator.http.port", "0");
        settings.put("aggregator.catalog.file", catalog.toString());
        settings.put("aggregator.publish.interval.ms", "200");
        return TraplineConfig.of(settings);
    }

    /**
     * Every site of the season with two cameras, deployed for March (closed, so effort does not grow); the
     * sites a few tens of kilometres apart, from (-24.1, 31.6) south-eastwards.
     */
    static Path catalog(Path dir, List<String> sites) {
        SiteCatalog catalog = SiteCatalog.load(dir.resolve("catalog.json"));
        for (String site : sites) {
            catalog.putSite(new Site(site, "Site " + site, latitude(sites, site), 31.6 + 0.25 * sites.indexOf(site),
                    "Africa/Johannesburg"));
            for (int c = 0; c < 2; c++) {
                String camera = SyntheticSeason.camera(site, c);
                catalog.putCamera(new Camera(camera, site, "Reconyx", "HyperFire 2", 0));
                catalog.putDeployment(new Deployment(camera + "-2026", camera, site, START, Instant.parse("2026-04-01T00:00:00Z")));
            }
        }
        return dir.resolve("catalog.json");
    }

    static double latitude(List<String> sites, String site) {
        return -24.1 - 0.2 * sites.indexOf(site);
    }

    /** Two seasons over a synthetic season's sightings (which start on 1 March): early until {@code split}, late after. */
    static Map<String, String> seasons(Instant split) {
        return Map.of("aggregator.seasons", "early,late",
                "aggregator.season.early.period", START + "/" + split,
                "aggregator.season.late.period", split + "/2026-04-01T00:00:00Z");
    }

    static CamtrapDpExport.Package unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return new CamtrapDpExport.Package(files);
    }

    @Test
    void twoInstancesAnswerForEachOthersSites(TestStack stack, @TempDir Path dir) throws Exception {
        String run = "two-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> sites = Season.sitesOnEveryPartition(run, 8, 6);
        Path catalog = catalog(dir, sites);
        SyntheticSeason season = new SyntheticSeason(11, run, sites, 2, 4, START);
        List<Sighting> sightings = season.next(400);
        // the first two individuals of a site become one: a merge
        String absorbed = season.individuals().get(0);
        String sameSiteAndSpecies = absorbed.substring(0, absorbed.lastIndexOf('-') + 1);
        String survivor = season.individuals().stream()
                .filter(id -> !id.equals(absorbed) && id.startsWith(sameSiteAndSpecies)).findFirst().orElseThrow();
        List<IndividualUpdate> updates = new ArrayList<>(season.gallery(START.plus(Duration.ofDays(40))));
        updates.addAll(season.merge(absorbed, survivor, START.plus(Duration.ofDays(41))));
        Map<String, Long> perSite = sightings.stream().collect(Collectors.groupingBy(Sighting::getSiteId, Collectors.counting()));

        // two seasons over the synthetic sightings (a few minutes apart: 400 of them last about 20 hours)
        Map<String, String> seasons = seasons(Instant.parse("2026-03-01T08:00:00Z"));
        try (AggregatorService one = AggregatorService.start(config(stack, dir.resolve("one"), run, catalog).with(seasons));
             AggregatorService two = AggregatorService.start(config(stack, dir.resolve("two"), run, catalog).with(seasons))) {
            TraplineConfig config = config(stack, dir.resolve("writer"), run, catalog);
            // sent twice: a re-sent sighting is counted once
            Season.send(config, sightings, List.of());
            Season.send(config, sightings.subList(0, 50), updates);

            Set<String> servedBy = new HashSet<>();
            for (String site : sites) {
                long expectedIndividuals = season.individualsAt(site);
                Http.Answer fromOne = Http.await(one.port(), "/api/sites/" + site, a -> a.status() == 200
                                && a.json().get("sightings").asLong() == perSite.get(site)
                                && a.json().get("distinctIndividuals").asLong() == expectedIndividuals,
                        Duration.ofSeconds(120), "site " + site + ": " + perSite.get(site) + " sightings, "
                                + expectedIndividuals + " individuals");
                Http.Answer fromTwo = Http.get(two.port(), "/api/sites/" + site);
                assertEquals(200, fromTwo.status(), fromTwo.body());
                assertEquals(fromOne.body(), fromTwo.body(), "either instance answers the same for " + site);
                assertEquals(fromOne.servedBy(), fromTwo.servedBy(), "read from the owner's stores either way");
                servedBy.add(fromOne.servedBy());
                for (String question : List.of("/activity", "/individuals", "/days", "/sightings?limit=5", "/estimates",
                        "/activity?species=leopard", "/individuals?window=day/2026-03-01", "/demography?season=early",
                        "/return-rate?from=early&to=late", "/individuals?window=season/late", "/species")) {
                    Http.Answer a = Http.get(one.port(), "/api/sites/" + site + question);
                    Http.Answer b = Http.get(two.port(), "/api/sites/" + site + question);
                    assertEquals(200, a.status(), question + ": " + a.body());
                    assertEquals(a.body(), b.body(), question);
                }
                var counts = fromOne.json();
                // March deployments of two cameras: 2 × 31 trap-nights
                assertEquals(62.0, counts.get("trapNights").asDouble(), 1e-9);
                assertEquals(counts.get("independentEvents").asLong() * 100.0 / 62,
                        counts.get("eventsPer100TrapNights").asDouble(), 1e-9);
            }
            assertEquals(Set.of("127.0.0.1:" + one.port(), "127.0.0.1:" + two.port()), servedBy,
                    "each instance owns some sites and answers for the other's");

            Http.Answer unknown = Http.get(one.port(), "/api/sites/" + run + "-nowhere");
            assertEquals(404, unknown.status());
            assertTrue(unknown.body().contains("no site '" + run + "-nowhere'"), unknown.body());
            assertEquals(404, Http.get(two.port(), "/api/sites/" + run + "-nowhere/activity").status());
            assertEquals(400, Http.get(two.port(), "/api/sites/" + sites.get(0) + "?window=yesterday").status());
            Http.Answer noSeason = Http.get(one.port(), "/api/sites/" + sites.get(0) + "/demography?season=monsoon");
            assertEquals(400, noSeason.status());
            assertTrue(noSeason.body().contains("no season 'monsoon'") && noSeason.body().contains("[early, late]"), noSeason.body());
            assertEquals(400, Http.get(one.port(), "/api/sites/" + sites.get(0) + "/return-rate?from=late&to=early").status(),
                    "the second season must come after the first");
            assertEquals(404, Http.get(two.port(), "/api/sites/" + run + "-nowhere/demography?season=early").status());

            // a species surveyed as an unmarked one: its independent events are the ones the counts hold, found by
            // another path (the survey reads the counted sightings and applies the rule itself), over March's 31 days
            for (String site : sites) {
                for (var species : Http.get(one.port(), "/api/sites/" + site).json().get("species")) {
                    String name = species.get("species").asText();
                    String query = "/api/sites/" + site + "/survey?species=" + name.replace(" ", "%20")
                            + "&from=2026-03-01&to=2026-04-01&occasion=P1D";
                    Http.Answer survey = Http.get(two.port(), query);
                    assertEquals(200, survey.status(), query + ": " + survey.body());
                    var answer = survey.json();
                    assertEquals(species.get("independentEvents").asLong(), answer.get("independentEvents").asLong(), query);
                    var history = answer.get("history");
                    assertEquals(31, history.get("occasions").asInt(), query);
                    assertEquals(2, history.get("rows").size(), "one row per camera: " + query);
                    long detected = 0;
                    for (var row : history.get("rows")) {
                        assertEquals(31, row.get("history").size());
                        for (var cell : row.get("history")) {
                            assertTrue(cell.isNull() || cell.asInt() == 0 || cell.asInt() == 1, row.toString());
                            detected += cell.isNull() ? 0 : cell.asInt();
                            assertFalse(cell.isNull(), "both cameras out all March: no NA " + row);
                        }
                    }
                    assertTrue(detected >= 1 && detected <= answer.get("independentEvents").asLong(),
                            "detections on at least one day, on no more days than events: " + detected);
                    assertTrue(answer.get("occupancy").has("status"), answer.toString());
                    assertTrue(answer.get("densityNote").asText().contains("no day range configured"), answer.toString());
                }
            }
            String csvQuery = "/api/sites/" + sites.get(0) + "/detection-history.csv?species=leopard&from=2026-03-01&to=2026-04-01";
            Http.Answer csv = Http.get(one.port(), csvQuery);
            assertEquals(200, csv.status(), csv.body());
            List<String> lines = csv.body().lines().toList();
            assertEquals(3, lines.size(), "a header and one row per camera: " + csv.body());
            assertTrue(lines.get(0).startsWith("station,o1,o2,") && lines.get(0).endsWith(",o31"), lines.get(0));
            assertEquals(400, Http.get(one.port(), "/api/sites/" + sites.get(0) + "/survey").status(), "no species");
            assertEquals(400, Http.get(one.port(), "/api/sites/" + sites.get(0) + "/survey?species=leopard&occasion=daily").status());
            assertEquals(404, Http.get(one.port(), "/api/sites/" + run + "-nowhere/survey?species=leopard").status());

            // a site's demography, from whichever instance: the individuals seen there early in the season
            String first = sites.get(0);
            Set<String> seenEarly = sightings.stream().filter(s -> s.getSiteId().equals(first) && s.getIndividualId() != null
                            && s.getTime().isBefore(Instant.parse("2026-03-01T08:00:00Z")))
                    .map(s -> s.getIndividualId().equals(absorbed) ? survivor : s.getIndividualId()).collect(Collectors.toSet());
            long knownAliveEarly = 0;
            for (var species : Http.get(two.port(), "/api/sites/" + first + "/demography?season=early").json().get("species")) {
                knownAliveEarly += species.get("knownAlive").asLong();
            }
            assertEquals(seenEarly.size(), knownAliveEarly, "known alive early at " + first + ": " + seenEarly);

            // an individual's profile, from either instance: the survivor of the merge has both's sightings
            long survivorSightings = sightings.stream().filter(s -> survivor.equals(s.getIndividualId())
                    || absorbed.equals(s.getIndividualId())).count();
            Http.Answer profile = Http.await(one.port(), "/api/individuals/" + survivor, a -> a.status() == 200
                            && a.json().get("encounters").get("sightings").asLong() == survivorSightings,
                    Duration.ofSeconds(60), survivor + " with " + survivorSightings + " sightings");
            assertEquals(profile.body(), Http.get(two.port(), "/api/individuals/" + survivor).body());
            assertEquals(profile.servedBy(), Http.get(two.port(), "/api/individuals/" + survivor).servedBy());
            var where = profile.json().get("sites").get(0);
            assertEquals(latitude(sites, where.get("siteId").asText()), where.get("latitude").asDouble(), "coordinates from the catalog");
            Http.Answer merged = Http.get(two.port(), "/api/individuals/" + absorbed);
            assertEquals(survivor, merged.json().get("mergedInto").asText(), merged.body());
            assertEquals(0, merged.json().get("encounters").get("sightings").asLong());
            Http.Answer nobody = Http.get(two.port(), "/api/individuals/" + run + "-nobody");
            assertEquals(404, nobody.status());
            assertTrue(nobody.body().contains("no individual '" + run + "-nobody'"), nobody.body());

            Http.Answer all = Http.get(two.port(), "/api/sites");
            assertEquals(200, all.status(), all.body());
            Set<String> listed = new HashSet<>();
            all.json().forEach(site -> listed.add(site.get("siteId").asText()));
            assertTrue(listed.containsAll(sites), "every site, whichever instance owns it: " + listed);

            // every species over the sites, from either instance: each site's species (with the scientific name its
            // sightings carry) read where the site lives, summed; other tests of this JVM count sites of their own on
            // the same topics, so the sums hold at least this run's sightings, and exactly them site by site
            Map<String, String> named = sightings.stream().collect(Collectors.toMap(Sighting::getSpeciesLabel,
                    Sighting::getScientificName, (a, b) -> a));
            Map<String, Long> sightingsOf = new HashMap<>();
            Map<String, Set<String>> sitesOf = new HashMap<>();
            for (String site : sites) {
                Map<String, Long> here = sightings.stream().filter(s -> s.getSiteId().equals(site))
                        .collect(Collectors.groupingBy(Sighting::getSpeciesLabel, Collectors.counting()));
                Map<String, Long> answered = new HashMap<>();
                for (var sp : Http.get(two.port(), "/api/sites/" + site + "/species").json()) {
                    answered.put(sp.get("species").asText(), sp.get("sightings").asLong());
                    assertEquals(named.get(sp.get("species").asText()), sp.get("scientificName").asText(), sp.toString());
                }
                assertEquals(here, answered, "the species of " + site);
                here.forEach((label, n) -> {
                    sightingsOf.merge(label, n, Long::sum);
                    sitesOf.computeIfAbsent(label, k -> new HashSet<>()).add(site);
                });
            }
            for (AggregatorService instance : List.of(one, two)) {
                Http.Answer species = Http.get(instance.port(), "/api/species");
                assertEquals(200, species.status(), species.body());
                Map<String, JsonNode> listedSpecies = new HashMap<>();
                species.json().get("species").forEach(sp -> listedSpecies.put(sp.get("species").asText(), sp));
                sightingsOf.forEach((label, n) -> {
                    var sp = listedSpecies.get(label);
                    assertTrue(sp != null && sp.get("sightings").asLong() >= n && sp.get("sites").asInt() >= sitesOf.get(label).size()
                            && sp.get("namedToSpecies").asBoolean() && named.get(label).equals(sp.get("scientificName").asText()),
                            label + ": " + sp);
                });
                assertTrue(listedSpecies.containsKey(species.json().get("preferred").asText()), species.body());
            }

            // a Camtrap DP package of a site, asked of both instances: one of them passes the request on
            for (AggregatorService instance : List.of(one, two)) {
                String site = sites.get(2);
                var zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port()
                        + "/api/sites/" + site + "/export/camtrap-dp?from=2026-03-01&to=2026-04-01")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, zip.statusCode(), new String(zip.body(), StandardCharsets.UTF_8));
                assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
                CamtrapDpExport.Package pkg = unzip(zip.body());
                assertEquals(List.of(), CamtrapDpValidator.validate(pkg), "a valid Camtrap DP package");
                List<List<String>> observations = CamtrapDpValidator.parseCsv(pkg.text("observations.csv"));
                int level = observations.get(0).indexOf("observationLevel");
                assertEquals(perSite.get(site), observations.stream().filter(r -> r.get(level).equals("media")).count(),
                        "every sighting of the site once, at the level of its frame");
                assertTrue(observations.stream().anyMatch(r -> r.get(level).equals("event")), "and its events, with their MaxN");
            }
            assertEquals(404, Http.get(one.port(), "/api/sites/" + run + "-nowhere/export/camtrap-dp").status());

            String metrics = Http.get(one.port(), "/metrics").body();
            assertTrue(metrics.contains("kafka_stream_thread_process_total"), "Kafka Streams' own metrics are bound");
            assertTrue(metrics.contains("trapline_aggregator_queries_total{outcome=\"forwarded\"}"), "queries passed on are counted");

            // what is published on site-counts agrees with the stores
            String site = sites.get(1);
            List<SiteCount> published = TopicReader.readUntil(new KafkaClientSettings(config).consumer("it", "it"),
                            Topics.SITE_COUNTS.name(), new StringDeserializer(), Topics.SITE_COUNTS.valueSerde(config).deserializer(),
                            r -> r.key().equals(site + "/all"),
                            read -> !read.isEmpty() && read.get(read.size() - 1).value().getSightings() == perSite.get(site)
                                    && read.get(read.size() - 1).value().getDistinctIndividuals() == season.individualsAt(site),
                            Duration.ofSeconds(60))
                    .stream().map(r -> r.value()).toList();
            SiteCount latest = published.get(published.size() - 1);
            assertEquals((long) perSite.get(site), latest.getSightings());
            assertEquals(Http.get(one.port(), "/api/sites/" + site).json().get("independentEvents").asLong(),
                    latest.getIndependentEvents());
        }
    }
}
