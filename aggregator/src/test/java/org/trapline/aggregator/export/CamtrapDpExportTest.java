package org.trapline.aggregator.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.trapline.aggregator.counts.AgeRules;
import org.trapline.aggregator.counts.LifeHistoryView;
import org.trapline.aggregator.counts.SightingFacts;
import org.trapline.aggregator.counts.SightingView;
import org.trapline.aggregator.counts.SiteProfile;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.AgeClass;
import org.trapline.schema.BirthDateKind;
import org.trapline.schema.LifeStatus;
import org.trapline.schema.Sex;

class CamtrapDpExportTest {

    static final Site NORTH = new Site("north", "North, by the river", -24.1, 31.6, "Africa/Johannesburg");
    static final List<Camera> CAMERAS = List.of(new Camera("cam1", "north", "Reconyx", "HyperFire 2", 0),
            new Camera("cam2", "north", null, null, 0));
    static final List<Deployment> DEPLOYMENTS = List.of(
            new Deployment("d0", "cam1", "north", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")),
            new Deployment("d1", "cam1", "north", Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-11T00:00:00Z")),
            new Deployment("d2", "cam2", "north", Instant.parse("2026-03-05T12:00:00Z"), null));
    static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-03-15T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-20T08:30:00Z");

    static SightingView view(String id, String camera, String deployment, String time, String species, String scientific,
                             String frame, String individual) {
        return view(id, camera, deployment, time, species, scientific, frame, individual, "burst-" + frame);
    }

    static SightingView view(String id, String camera, String deployment, String time, String species, String scientific,
                             String frame, String individual, String event) {
        return new SightingView(new SightingFacts(id, "north", camera, deployment, Instant.parse(time).toEpochMilli(), species,
                scientific, individual, individual == null ? "REVIEW" : "MATCHED", 0.8f, event, frame, 0, 0.93f,
                new float[] {0.125f, 0.25f, 0.3f, 0.0001f}, "fs", "sha256/ab/ab" + frame, 1, null), individual);
    }

    /**
     * The gallery: L1 a female adult; W9 of unknown sex, assessed juvenile on 8 March 2025, and warthogs
     * are juvenile for 12 months, then subadult for 12.
     */
    static final CamtrapDpExport.Gallery GALLERY = new CamtrapDpExport.Gallery(id -> Optional.ofNullable(Map.of(
            "L1", new SiteProfile("leopard", "Mosadi", new LifeHistoryView(Sex.FEMALE, AgeClass.ADULT, null, null,
                    BirthDateKind.UNKNOWN, null, LifeStatus.ALIVE, null, null)),
            "W9", new SiteProfile("warthog", null, new LifeHistoryView(Sex.UNKNOWN, AgeClass.JUVENILE, LocalDate.parse("2025-03-08"),
                    null, BirthDateKind.UNKNOWN, null, LifeStatus.ALIVE, null, null))).get(id)),
            AgeRules.fromConfig(TraplineConfig.of(Map.of("aggregator.age.warthog.juvenile.months", "12",
                    "aggregator.age.warthog.subadult.months", "12"))));

    static CamtrapDpExport.Package export(Site site) {
        List<SightingView> sightings = List.of(
                view("s1", "cam1", "d1", "2026-03-05T08:00:00.250Z", "leopard", "Panthera pardus", "f1", "L1"),
                // a second animal on the same frame: one medium, two observations
                view("s2", "cam1", "d1", "2026-03-05T08:00:00.250Z", "leopard", "Panthera pardus", "f1", null),
                // no deployment on the sighting: the catalog's deployment of the camera at that time
                view("s3", "cam2", null, "2026-03-06T10:00:00Z", "impala, \"rooibok\"", null, "f2", null),
                // a camera the catalog does not know: a deployment made of its sightings
                view("s4", "cam3", null, "2026-03-07T23:59:59Z", "warthog", "Phacochoerus africanus", "f4", "W9"),
                // the leopards' event goes on: one of them on a later frame (MaxN stays 2)
                view("s5", "cam1", "d1", "2026-03-05T08:00:04Z", "leopard", "Panthera pardus", "f5", null, "burst-f1"));
        return CamtrapDpExport.export(site, DEPLOYMENTS,
                id -> CAMERAS.stream().filter(c -> c.id().equals(id)).findFirst(),
                f -> DEPLOYMENTS.stream().filter(d -> d.cameraId().equals(f.cameraId()) && d.covers(Instant.ofEpochMilli(f.time()))).findFirst(),
                sightings, GALLERY, FROM, TO, NOW, new CamtrapDpExport.Project("Kruger leopards", "Amara N.", "systematicRandom"));
    }

    @Test
    void aSitesSightingsMakeAValidCamtrapDpPackage() throws Exception {
        CamtrapDpExport.Package pkg = export(NORTH);
        List<String> problems = CamtrapDpValidator.validate(pkg);
        assertEquals(List.of(), problems, "valid against the Camtrap DP 1.0.2 table schemas and profile");

        List<List<String>> deployments = CamtrapDpValidator.parseCsv(pkg.text("deployments.csv"));
        assertEquals(List.of("d1", "d2", "cam3-at-north"), column(deployments, "deploymentID"),
                "the period's deployments (not January's d0), and one for the camera the catalog lacks");
        assertEquals(List.of("2026-03-11T00:00:00Z", "2026-03-20T08:30:00Z", "2026-03-08T00:00:00Z"),
                column(deployments, "deploymentEnd"), "d2 is still out: it ends now; cam3's ends after its last sighting");
        assertEquals(List.of("Reconyx-HyperFire_2", "", ""), column(deployments, "cameraModel"));
        assertEquals(List.of("-24.1", "-24.1", "-24.1"), column(deployments, "latitude"));

        List<List<String>> media = CamtrapDpValidator.parseCsv(pkg.text("media.csv"));
        assertEquals(List.of("f1", "f2", "f4", "f5"), column(media, "mediaID"), "one medium per frame");
        assertEquals(List.of("2026-03-05T08:00:00Z", "2026-03-06T10:00:00Z", "2026-03-07T23:59:59Z", "2026-03-05T08:00:04Z"),
                column(media, "timestamp"));
        assertEquals(List.of("false", "false", "false", "false"), column(media, "filePublic"));

        List<List<String>> all = CamtrapDpValidator.parseCsv(pkg.text("observations.csv"));
        int level = all.get(0).indexOf("observationLevel");
        List<List<String>> observations = new ArrayList<>(List.of(all.get(0)));
        List<List<String>> events = new ArrayList<>(List.of(all.get(0)));
        all.subList(1, all.size()).forEach(r -> (r.get(level).equals("media") ? observations : events).add(r));
        assertEquals(List.of("s1", "s2", "s3", "s4", "s5"), column(observations, "observationID"));
        // one event-level observation per event and species, its count the event's MaxN
        assertEquals(List.of("burst-f1", "burst-f2", "burst-f4"), column(events, "eventID"));
        assertEquals(List.of("2", "1", "1"), column(events, "count"), "two leopards on f1, one on f5: MaxN 2, not 3");
        assertEquals(List.of("2026-03-05T08:00:00Z", "2026-03-05T08:00:04Z"), List.of(column(events, "eventStart").get(0),
                column(events, "eventEnd").get(0)), "the event from its first frame to its last");
        assertEquals(List.of("", "", ""), column(events, "individualID"));
        assertEquals(List.of("", "", ""), column(events, "mediaID"));
        assertEquals(List.of("Panthera pardus", "", "Phacochoerus africanus"), column(events, "scientificName"));
        assertEquals(List.of("d1", "d1", "d2", "cam3-at-north", "d1"), column(observations, "deploymentID"));
        assertEquals(List.of("animal", "animal", "animal", "animal", "animal"), column(observations, "observationType"),
                "sightings are animals: nothing else is exported");
        assertEquals(List.of("L1", "", "", "W9", ""), column(observations, "individualID"));
        // Camtrap DP's sex is female or male: W9's unknown sex is left empty
        assertEquals(List.of("female", "", "", "", ""), column(observations, "sex"));
        // W9 was seen on 7 March 23:59:59 UTC, 8 March at the site (UTC+2): 12 whole months after its assessment
        // as a juvenile on 8 March 2025, a subadult (on the 7th, 11 months: it would still be a juvenile)
        assertEquals(List.of("adult", "", "", "subadult", ""), column(observations, "lifeStage"));
        assertEquals(List.of("0.125", "0.125", "0.125", "0.125", "0.125"), column(observations, "bboxX"));
        assertEquals("0.0001", column(observations, "bboxHeight").get(0), "plain decimals, never 1.0E-4");
        assertEquals("speciesLabel:impala, \"rooibok\"|decision:REVIEW", column(observations, "observationTags").get(2),
                "commas and quotes survive the CSV");

        JsonNode descriptor = new ObjectMapper().readTree(pkg.files().get("datapackage.json"));
        assertEquals("https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
                descriptor.get("profile").asText());
        assertEquals("trapline-north-2026-03-01-2026-03-15", descriptor.get("name").asText());
        assertEquals("2026-03-01", descriptor.get("temporal").get("start").asText());
        assertEquals("2026-03-20", descriptor.get("temporal").get("end").asText());
        assertEquals(List.of("Panthera pardus", "Phacochoerus africanus"),
                descriptor.get("taxonomic").findValuesAsText("scientificName"));
        assertEquals(31.6, descriptor.get("spatial").get("coordinates").get(0).asDouble());

        Map<String, byte[]> zipped = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(pkg.zip()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                zipped.put(entry.getName(), zip.readAllBytes());
            }
        }
        assertEquals(List.of("datapackage.json", "deployments.csv", "media.csv", "observations.csv"), List.copyOf(zipped.keySet()));
        assertEquals(pkg.text("observations.csv"), new String(zipped.get("observations.csv"), StandardCharsets.UTF_8));
    }

    @Test
    void whatAReviewerCorrectedIsExportedAsAHumanClassification() throws Exception {
        SightingView machine = view("s1", "cam1", "d1", "2026-03-05T08:00:00Z", "leopard", "Panthera pardus", "f1", null);
        // a reviewer renamed s2 and counted three animals in its box
        SightingView reviewed = new SightingView(view("s2", "cam1", "d1", "2026-03-06T08:00:00Z", "leopard", "Panthera pardus",
                "f2", null).facts().withSpecies("caracal", "Caracal caracal", "amara").withAnimals(3), null);
        CamtrapDpExport.Package pkg = CamtrapDpExport.export(NORTH, DEPLOYMENTS,
                id -> CAMERAS.stream().filter(c -> c.id().equals(id)).findFirst(),
                f -> DEPLOYMENTS.stream().filter(d -> d.cameraId().equals(f.cameraId()) && d.covers(Instant.ofEpochMilli(f.time()))).findFirst(),
                List.of(machine, reviewed), GALLERY, FROM, TO, NOW, new CamtrapDpExport.Project("Kruger leopards", "Amara N.", "systematicRandom"));
        assertEquals(List.of(), CamtrapDpValidator.validate(pkg));
        List<List<String>> rows = CamtrapDpValidator.parseCsv(pkg.text("observations.csv"));
        // media-level s1, s2, then the two events
        assertEquals(List.of("machine", "human", "machine", "human"), column(rows, "classificationMethod"));
        assertEquals(List.of("Trapline", "amara", "Trapline", "amara"), column(rows, "classifiedBy"));
        assertEquals(List.of("Panthera pardus", "Caracal caracal", "Panthera pardus", "Caracal caracal"), column(rows, "scientificName"));
        assertEquals(List.of("1", "3", "1", "3"), column(rows, "count"), "the reviewer's count, on its frame and as its event's MaxN");
        assertEquals("", column(rows, "classificationProbability").get(1), "a person's classification has no network score");
    }

    @Test
    void theValidatorFindsWhatIsWrong() throws Exception {
        CamtrapDpExport.Package pkg = export(NORTH);
        Map<String, byte[]> broken = new LinkedHashMap<>(pkg.files());
        broken.put("observations.csv", pkg.text("observations.csv").replace(",media,animal,", ",media,animals,")
                .replace("s2,d1,f1", "s2,d9,f1").replace(",adult,female,", ",adult,unknown,").getBytes(StandardCharsets.UTF_8));
        broken.put("media.csv", pkg.text("media.csv").replace("2026-03-06T10:00:00Z", "2026-03-06 10:00")
                .getBytes(StandardCharsets.UTF_8));
        broken.put("datapackage.json", pkg.text("datapackage.json").replace("\"systematicRandom\"", "\"haphazard\"")
                .replace("1.0.2/media-table-schema", "1.0/media-table-schema").getBytes(StandardCharsets.UTF_8));
        List<String> problems = CamtrapDpValidator.validate(new CamtrapDpExport.Package(broken));
        String all = String.join("\n", problems);
        assertTrue(all.contains("'animals' is not one of"), all);
        assertTrue(all.contains("'unknown' is not one of"), "the standard's sex is female or male only: " + all);
        assertTrue(all.contains("observations.deploymentID 'd9' is not a deployments.deploymentID"), all);
        assertTrue(all.contains("'2026-03-06 10:00' is not a date and time"), all);
        assertTrue(all.contains("samplingDesign"), all);
        assertTrue(all.contains("1\\.0\\.2"), "the resources' schemas must be of version 1.0.2: " + all);
    }

    @Test
    void aSiteWithoutCoordinatesCannotBeExported() {
        var e = assertThrows(CamtrapDpExport.NotExportable.class,
                () -> export(new Site("north", "North", null, null, null)));
        assertTrue(e.getMessage().contains("latitude and longitude"), e.getMessage());
    }

    private static List<String> column(List<List<String>> table, String name) {
        int index = table.get(0).indexOf(name);
        List<String> values = new ArrayList<>();
        table.subList(1, table.size()).forEach(row -> values.add(row.get(index)));
        return values;
    }
}
