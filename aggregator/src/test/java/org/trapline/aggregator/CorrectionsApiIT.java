package org.trapline.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Sighting;
import org.trapline.synthetic.SyntheticSeason;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;

/**
 * {@code POST /api/corrections} on a real broker and registry: who may correct what, the refusals with
 * their reasons, and a correction written, read back by the topology and reaching the counts and the export.
 */
@ExtendWith(TestStackExtension.class)
class CorrectionsApiIT {

    static final String GATEWAY = ApiKeys.newKey();
    static final String REVIEWER = ApiKeys.newKey();
    static final String ELSEWHERE = ApiKeys.newKey();

    @Test
    void reviewersCorrectTheirSitesAndTheCountsFollow(TestStack stack, @TempDir Path dir) throws Exception {
        String run = "corrections-" + UUID.randomUUID().toString().substring(0, 8);
        String site = run + "-site";
        Path catalog = AggregatorServiceIT.catalog(dir, List.of(site));
        TraplineConfig config = AggregatorServiceIT.config(stack, dir.resolve("aggregator"), run, catalog).with(Map.of(
                "ingest.gateway.north.key.sha256", ApiKeys.hash(GATEWAY),
                "ingest.gateway.north.cameras", SyntheticSeason.camera(site, 0),
                "ingest.reviewer.thandi.key.sha256", ApiKeys.hash(REVIEWER),
                "ingest.reviewer.thandi.sites", site,
                "ingest.reviewer.sipho.key.sha256", ApiKeys.hash(ELSEWHERE),
                "ingest.reviewer.sipho.sites", "another-site"));
        SyntheticSeason season = new SyntheticSeason(5, run, List.of(site), 2, 3, AggregatorServiceIT.START);
        List<Sighting> sightings = season.next(6);
        Sighting renamed = sightings.get(0);
        Sighting emptied = sightings.get(1);

        try (AggregatorService aggregator = AggregatorService.start(config)) {
            Season.send(config, sightings, List.of());
            int port = aggregator.port();
            Http.await(port, "/api/sites/" + site, a -> a.status() == 200 && a.json().get("sightings").asLong() == 6,
                    Duration.ofSeconds(120), "six sightings counted");

            String rename = """
                    {"correctionId": "%s-rename", "frameId": "%s", "siteId": "%s", "cameraId": "%s", "captureTime": "%s",
                     "sightingId": "%s", "kind": "SPECIES", "scientificName": "Leptailurus serval", "commonName": "serval",
                     "reason": "spots in lines, long legs"}""".formatted(run, renamed.getDetection().getFrameId(), site,
                    renamed.getCameraId(), renamed.getTime(), renamed.getSightingId());
            assertEquals(401, Http.post(port, "/api/corrections", rename, null).status());
            Http.Answer gateway = Http.post(port, "/api/corrections", rename, GATEWAY);
            assertEquals(403, gateway.status(), gateway.body());
            assertTrue(gateway.body().contains("a gateway's key cannot review"), gateway.body());
            Http.Answer elsewhere = Http.post(port, "/api/corrections", rename, ELSEWHERE);
            assertEquals(403, elsewhere.status(), elsewhere.body());
            assertTrue(elsewhere.body().contains("'sipho' may not review site"), elsewhere.body());
            Http.Answer typo = Http.post(port, "/api/corrections", rename.replace("Leptailurus serval", "serval"), REVIEWER);
            assertEquals(400, typo.status());
            assertTrue(typo.body().contains("'serval' is not a scientific name"), typo.body());
            Http.Answer camera = Http.post(port, "/api/corrections", rename.replace(renamed.getCameraId(), "no-such-camera"), REVIEWER);
            assertEquals(404, camera.status(), camera.body());
            Http.Answer individual = Http.post(port, "/api/corrections", rename.replace("\"SPECIES\"", "\"INDIVIDUAL_CONFIRMED\""), REVIEWER);
            assertEquals(400, individual.status(), individual.body());
            Http.Answer kind = Http.post(port, "/api/corrections", rename.replace("\"SPECIES\"", "\"SPECIEZ\""), REVIEWER);
            assertEquals(400, kind.status(), kind.body());
            assertTrue(kind.body().contains("is none of ACCEPTED, EMPTY, ANIMAL_PRESENT"), kind.body());
            assertEquals(400, Http.post(port, "/api/corrections", "{\"frameId\": ", REVIEWER).status(), "not JSON");

            Http.Answer accepted = Http.post(port, "/api/corrections", rename, REVIEWER);
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("thandi", accepted.json().get("reviewer").asText(), "the reviewer is the key's, not the body's");
            // the page retrying: the same correction id, applied once
            assertEquals(202, Http.post(port, "/api/corrections", rename, REVIEWER).status());
            assertEquals(202, Http.post(port, "/api/corrections", """
                    {"frameId": "%s", "siteId": "%s", "cameraId": "%s", "captureTime": "%s", "kind": "EMPTY"}"""
                    .formatted(emptied.getDetection().getFrameId(), site, emptied.getCameraId(), emptied.getTime()), REVIEWER).status());
            assertEquals(202, Http.post(port, "/api/corrections", """
                    {"frameId": "%s-called-empty", "siteId": "%s", "cameraId": "%s", "captureTime": "%s", "kind": "ANIMAL_PRESENT",
                     "scientificName": "Leopardus pardalis", "commonName": "ocelot", "count": 2}"""
                    .formatted(run, site, renamed.getCameraId(), renamed.getTime().plusSeconds(5)), REVIEWER).status());

            // 6 sightings, one emptied, one animal on a frame called empty: 6; a serval and an ocelot (MaxN 2)
            Http.Answer counts = Http.await(port, "/api/sites/" + site, a -> a.status() == 200
                            && a.json().get("sightings").asLong() == 6 && species(a, "ocelot") != null && species(a, "serval") != null,
                    Duration.ofSeconds(60), "the corrections counted");
            assertEquals(1, species(counts, "serval").get("sightings").asLong());
            assertEquals(2, species(counts, "ocelot").get("animals").asLong());

            byte[] zip = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/sites/" + site + "/export/camtrap-dp")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
            String observations = AggregatorServiceIT.unzip(zip).text("observations.csv");
            assertTrue(observations.lines().anyMatch(l -> l.startsWith(renamed.getSightingId() + ",") && l.contains("Leptailurus serval")
                    && l.contains(",human,thandi,")), observations);
            assertTrue(observations.lines().noneMatch(l -> l.startsWith(emptied.getSightingId() + ",")), "the emptied frame's sighting is gone");
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode species(Http.Answer answer, String name) {
        return StreamSupport.stream(answer.json().get("species").spliterator(), false)
                .filter(s -> s.get("species").asText().equals(name)).findFirst().orElse(null);
    }
}
