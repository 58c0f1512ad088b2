package org.trapline.aggregator.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.trapline.aggregator.counts.AgeRules;
import org.trapline.aggregator.counts.LifeHistoryView;
import org.trapline.aggregator.counts.SightingFacts;
import org.trapline.aggregator.counts.SightingView;
import org.trapline.aggregator.counts.SiteProfile;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.AgeClass;
import org.trapline.schema.Sex;

/**
 * A site's sightings over a period as a Camtrap DP 1.0.2 data package (TDWG's exchange format for
 * camera-trap data, which GBIF ingests): {@code deployments.csv} from the site catalog,
 * {@code media.csv} with one row per frame that holds a sighting, {@code observations.csv} with one
 * media-level observation per sighting (species, individual with its sex and life stage as the gallery
 * has them, bounding box, the machine's confidence), and {@code datapackage.json} describing them. Only sightings go in, and sightings are animals only, so
 * no human observation and no frame without an animal is ever exported; file paths are the blob store's
 * addresses, not public.
 */
public final class CamtrapDpExport {

    public static final String VERSION = "1.0.2";
    static final String SCHEMAS = "https://raw.githubusercontent.com/tdwg/camtrap-dp/" + VERSION + "/";
    static final List<String> DEPLOYMENT_FIELDS = List.of("deploymentID", "locationID", "locationName", "latitude",
            "longitude", "coordinateUncertainty", "deploymentStart", "deploymentEnd", "setupBy", "cameraID", "cameraModel",
            "cameraDelay", "cameraHeight", "cameraDepth", "cameraTilt", "cameraHeading", "detectionDistance",
            "timestampIssues", "baitUse", "featureType", "habitat", "deploymentGroups", "deploymentTags", "deploymentComments");
    static final List<String> MEDIA_FIELDS = List.of("mediaID", "deploymentID", "captureMethod", "timestamp", "filePath",
            "filePublic", "fileName", "fileMediatype", "exifData", "favorite", "mediaComments");
    static final List<String> OBSERVATION_FIELDS = List.of("observationID", "deploymentID", "mediaID", "eventID",
            "eventStart", "eventEnd", "observationLevel", "observationType", "cameraSetupType", "scientificName", "count",
            "lifeStage", "sex", "behavior", "individualID", "individualPositionRadius", "individualPositionAngle",
            "individualSpeed", "bboxX", "bboxY", "bboxWidth", "bboxHeight", "classificationMethod", "classifiedBy",
            "classificationTimestamp", "classificationProbability", "observationTags", "observationComments");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What the package says of the project: {@code aggregator.export.project.title},
     * {@code aggregator.export.contributor} (the contact), {@code aggregator.export.sampling.design}
     * (Camtrap DP's samplingDesign: simpleRandom, systematicRandom, clusteredRandom, experimental,
     * targeted or opportunistic).
     */
    public record Project(String title, String contributor, String samplingDesign) {

        /** Camtrap DP's samplingDesign values (its profile's enum). */
        public static final List<String> SAMPLING_DESIGNS = List.of("simpleRandom", "systematicRandom", "clusteredRandom",
                "experimental", "targeted", "opportunistic");

        public static final Setting<String> TITLE = Setting.text("aggregator.export.project.title", "Trapline camera trapping",
                "Camtrap DP: the project's title");
        public static final Setting<String> CONTRIBUTOR = Setting.text("aggregator.export.contributor", "Trapline",
                "Camtrap DP: the contact");
        public static final Setting<String> SAMPLING_DESIGN = Setting.text("aggregator.export.sampling.design", "opportunistic",
                "Camtrap DP's samplingDesign").requiring(SAMPLING_DESIGNS::contains, "one of " + SAMPLING_DESIGNS);

        public static Project fromConfig(TraplineConfig config) {
            return new Project(TITLE.of(config), CONTRIBUTOR.of(config), SAMPLING_DESIGN.of(config));
        }
    }

    /** The package's files by name, and the same as one zip file. */
    public record Package(Map<String, byte[]> files) {
        public String text(String name) {
            return new String(files.get(name), StandardCharsets.UTF_8);
        }

        public byte[] zip() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (var file : files.entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    zip.write(file.getValue());
                    zip.closeEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    /** The export cannot be made as asked (the standard requires what the catalog lacks). */
    public static final class NotExportable extends RuntimeException {
        public NotExportable(String message) {
            super(message);
        }
    }

    private CamtrapDpExport() {
    }

    /** What the gallery says of the individuals observed, and how their age classes move on. */
    public record Gallery(Function<String, Optional<SiteProfile>> profiles, AgeRules ages) {
        public static final Gallery NONE = new Gallery(id -> Optional.empty(), AgeRules.NONE);
    }

    /**
     * The package for a site's sightings (already limited to the period {@code [from, to)}, either open
     * when null), with the catalog's deployments at the site that overlap the period.
     */
    public static Package export(Site site, List<Deployment> deployments, Function<String, Optional<Camera>> cameras,
                                 Function<SightingFacts, Optional<Deployment>> deploymentOf, List<SightingView> sightings,
                                 Gallery gallery, Instant from, Instant to, Instant now, Project project) {
        if (site.latitude() == null || site.longitude() == null) {
            throw new NotExportable("site '" + site.id() + "' has no coordinates in the catalog: Camtrap DP requires the "
                    + "latitude and longitude of every deployment");
        }
        // deployments: the catalog's at the site within the period, and any other a sighting was taken in
        Map<String, Deployment> used = new LinkedHashMap<>();
        deployments.stream()
                .filter(d -> (to == null || d.start().isBefore(to)) && (from == null || d.end() == null || d.end().isAfter(from)))
                .sorted(Comparator.comparing(Deployment::start))
                .forEach(d -> used.put(d.id(), d));
        Map<SightingView, String> deploymentIds = new LinkedHashMap<>();
        for (SightingView view : sightings) {
            SightingFacts f = view.facts();
            Deployment d = Optional.ofNullable(f.deploymentId()).flatMap(id -> Optional.ofNullable(used.get(id)))
                    .or(() -> deploymentOf.apply(f))
                    .orElseGet(() -> undeployed(site, f, sightings));
            used.putIfAbsent(d.id(), d);
            deploymentIds.put(view, d.id());
        }

        List<List<String>> deploymentRows = new ArrayList<>();
        for (Deployment d : used.values()) {
            Optional<Camera> camera = cameras.apply(d.cameraId());
            Instant end = d.end() == null || d.end().isAfter(now) ? now : d.end();
            deploymentRows.add(row(DEPLOYMENT_FIELDS, Map.of(
                    "deploymentID", d.id(),
                    "locationID", site.id(),
                    "locationName", site.name() == null ? site.id() : site.name(),
                    "latitude", number(site.latitude()),
                    "longitude", number(site.longitude()),
                    "deploymentStart", time(d.start()),
                    "deploymentEnd", time(end.isBefore(d.start()) ? d.start() : end),
                    "cameraID", d.cameraId(),
                    "cameraModel", camera.map(CamtrapDpExport::cameraModel).orElse(""),
                    "deploymentTags", "trapline:site:" + site.id())));
        }

        // media: each frame that holds a sighting, once; observations: each sighting, at the level of its frame
        Map<String, List<String>> media = new LinkedHashMap<>();
        List<List<String>> observations = new ArrayList<>();
        TreeSet<String> taxa = new TreeSet<>();
        for (SightingView view : sightings) {
            SightingFacts f = view.facts();
            String deploymentId = deploymentIds.get(view);
            media.computeIfAbsent(f.frameId(), id -> row(MEDIA_FIELDS, Map.of(
                    "mediaID", id,
                    "deploymentID", deploymentId,
                    "captureMethod", "activityDetection",
                    "timestamp", time(Instant.ofEpochMilli(f.time())),
                    "filePath", f.blobUri() == null ? "frames/" + id : f.blobUri(),
                    "filePublic", "false",
                    "fileMediatype", "image/jpeg")));
            Map<String, String> values = new LinkedHashMap<>();
            values.put("observationID", f.sightingId());
            values.put("deploymentID", deploymentId);
            values.put("mediaID", f.frameId());
            values.put("eventID", f.eventId());
            values.put("eventStart", time(Instant.ofEpochMilli(f.time())));
            values.put("eventEnd", time(Instant.ofEpochMilli(f.time())));
            values.put("observationLevel", "media");
            values.put("observationType", "animal");
            values.put("scientificName", f.scientificName() == null ? "" : f.scientificName());
            values.put("count", Integer.toString(f.animals()));
            values.put("individualID", view.individualId() == null ? "" : view.individualId());
            if (view.individualId() != null) {
                individual(values, gallery, view.individualId(), f, site.zone());
            }
            values.put("bboxX", number(clamp(f.bbox()[0])));
            values.put("bboxY", number(clamp(f.bbox()[1])));
            values.put("bboxWidth", number(clamp(f.bbox()[2])));
            values.put("bboxHeight", number(clamp(f.bbox()[3])));
            classification(values, f.classifiedBy());
            values.put("classificationProbability", f.classifiedBy() == null ? number(clamp(f.confidence())) : "");
            values.put("observationTags", "speciesLabel:" + f.species() + "|decision:" + f.decision());
            observations.add(row(OBSERVATION_FIELDS, values));
            if (f.scientificName() != null) {
                taxa.add(f.scientificName());
            }
        }

        observations.addAll(eventObservations(sightings, deploymentIds));
        boolean individuals = sightings.stream().anyMatch(v -> v.individualId() != null);

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("datapackage.json", descriptor(site, used.values(), taxa, from, to, now, project, individuals));
        files.put("deployments.csv", csv(DEPLOYMENT_FIELDS, deploymentRows));
        files.put("media.csv", csv(MEDIA_FIELDS, new ArrayList<>(media.values())));
        files.put("observations.csv", csv(OBSERVATION_FIELDS, observations));
        return new Package(files);
    }

    /**
     * One event-level observation per event and species, as Camtrap DP, Agouti and AddaxAI count animals that cannot
     * be told apart: {@code count} is the event's MaxN, the most animals of the species on one frame of the event (a
     * herd of five passing over ten frames is five, not fifty); the event runs from its first to its last frame. No
     * individual: one animal seen on several frames, or several animals, are one row.
     */
    static List<List<String>> eventObservations(List<SightingView> sightings, Map<SightingView, String> deploymentIds) {
        record EventSpecies(String eventId, String species) {
        }
        Map<EventSpecies, List<SightingView>> byEvent = new LinkedHashMap<>();
        for (SightingView view : sightings) {
            SightingFacts f = view.facts();
            if (f.eventId() != null) {
                byEvent.computeIfAbsent(new EventSpecies(f.eventId(), f.scientificName() != null ? f.scientificName() : f.species()),
                        k -> new ArrayList<>()).add(view);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<EventSpecies, List<SightingView>> event : byEvent.entrySet()) {
            List<SightingFacts> facts = event.getValue().stream().map(SightingView::facts).toList();
            long maxN = facts.stream().collect(java.util.stream.Collectors.groupingBy(SightingFacts::frameId,
                    java.util.stream.Collectors.summingLong(SightingFacts::animals))).values().stream().mapToLong(Long::longValue)
                    .max().orElse(1);
            SightingFacts first = facts.stream().min(Comparator.comparingLong(SightingFacts::time)).orElseThrow();
            long last = facts.stream().mapToLong(SightingFacts::time).max().orElseThrow();
            Map<String, String> values = new LinkedHashMap<>();
            values.put("observationID", "event:" + event.getKey().eventId() + ":" + event.getKey().species());
            values.put("deploymentID", deploymentIds.get(event.getValue().get(0)));
            values.put("eventID", event.getKey().eventId());
            values.put("eventStart", time(Instant.ofEpochMilli(first.time())));
            values.put("eventEnd", time(Instant.ofEpochMilli(last)));
            values.put("observationLevel", "event");
            values.put("observationType", "animal");
            values.put("scientificName", first.scientificName() == null ? "" : first.scientificName());
            values.put("count", Long.toString(maxN));
            // an event a reviewer named (any of its sightings) is a person's classification, the rest the networks'
            String reviewer = facts.stream().map(SightingFacts::classifiedBy).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            classification(values, reviewer);
            values.put("classificationProbability", reviewer != null ? "" : number(clamp((float) facts.stream()
                    .mapToDouble(SightingFacts::confidence).max().orElse(0))));
            values.put("observationTags", "speciesLabel:" + first.species() + "|frames:" + facts.stream().map(SightingFacts::frameId)
                    .distinct().count() + "|sightings:" + facts.size());
            rows.add(row(OBSERVATION_FIELDS, values));
        }
        return rows;
    }

    /**
     * Who named the species: Camtrap DP's {@code classificationMethod} {@code human} with the reviewer's name
     * once a reviewer did, {@code machine} by Trapline's networks before.
     */
    private static void classification(Map<String, String> values, String reviewer) {
        values.put("classificationMethod", reviewer == null ? "machine" : "human");
        values.put("classifiedBy", reviewer == null ? "Trapline" : reviewer);
    }

    /**
     * The individual's sex and life stage in Camtrap DP's words: sex {@code female} or {@code male} (the
     * standard has no word for unknown: left empty), life stage its age class on the day of the
     * observation (at the site), {@code adult}, {@code subadult} or {@code juvenile} (empty when unknown).
     */
    private static void individual(Map<String, String> values, Gallery gallery, String individualId, SightingFacts f,
                                   ZoneId zone) {
        Optional<SiteProfile> profile = gallery.profiles().apply(individualId);
        LifeHistoryView life = profile.map(SiteProfile::life).orElse(null);
        Sex sex = LifeHistoryView.sex(life);
        values.put("sex", sex == Sex.UNKNOWN ? "" : sex.name().toLowerCase(Locale.ROOT));
        String species = profile.map(SiteProfile::species).orElse(f.species());
        AgeClass age = gallery.ages().on(species, life, Instant.ofEpochMilli(f.time()).atZone(zone).toLocalDate());
        values.put("lifeStage", age == AgeClass.UNKNOWN ? "" : age.name().toLowerCase(Locale.ROOT));
    }

    /** A sighting the catalog has no deployment for: its camera's stay at the site over the period's sightings. */
    private static Deployment undeployed(Site site, SightingFacts f, List<SightingView> sightings) {
        long first = sightings.stream().filter(v -> v.facts().cameraId().equals(f.cameraId()))
                .mapToLong(v -> v.facts().time()).min().orElse(f.time());
        long last = sightings.stream().filter(v -> v.facts().cameraId().equals(f.cameraId()))
                .mapToLong(v -> v.facts().time()).max().orElse(f.time());
        return new Deployment(f.deploymentId() != null ? f.deploymentId() : f.cameraId() + "-at-" + site.id(), f.cameraId(),
                site.id(), Instant.ofEpochMilli(first).truncatedTo(ChronoUnit.SECONDS),
                Instant.ofEpochMilli(last).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
    }

    private static byte[] descriptor(Site site, java.util.Collection<Deployment> deployments, TreeSet<String> taxa,
                                     Instant from, Instant to, Instant now, Project project, boolean individuals) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Map<String, Object>> resources = new ArrayList<>();
        for (String name : List.of("deployments", "media", "observations")) {
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("name", name);
            resource.put("path", name + ".csv");
            resource.put("profile", "tabular-data-resource");
            resource.put("format", "csv");
            resource.put("mediatype", "text/csv");
            resource.put("encoding", "utf-8");
            resource.put("schema", SCHEMAS + name + "-table-schema.json");
            resources.add(resource);
        }
        d.put("resources", resources);
        d.put("profile", SCHEMAS + "camtrap-dp-profile.json");
        d.put("name", ("trapline-" + site.id() + (from == null ? "" : "-" + from.atOffset(ZoneOffset.UTC).toLocalDate())
                + (to == null ? "" : "-" + to.atOffset(ZoneOffset.UTC).toLocalDate())).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-"));
        d.put("created", time(now));
        d.put("title", project.title() + ": " + (site.name() == null ? site.id() : site.name()));
        d.put("contributors", List.of(Map.of("title", project.contributor(), "role", "contact")));
        d.put("project", Map.of(
                "title", project.title(),
                "samplingDesign", project.samplingDesign(),
                "captureMethod", List.of("activityDetection"),
                "individualAnimals", individuals,
                "observationLevel", List.of("media", "event")));
        d.put("spatial", Map.of("type", "Point", "coordinates", List.of(site.longitude(), site.latitude())));
        Instant start = deployments.stream().map(Deployment::start).min(Instant::compareTo).orElse(from == null ? now : from);
        Instant end = deployments.stream().map(x -> x.end() == null || x.end().isAfter(now) ? now : x.end())
                .max(Instant::compareTo).orElse(to == null ? now : to);
        d.put("temporal", Map.of("start", start.atOffset(ZoneOffset.UTC).toLocalDate().toString(),
                "end", end.atOffset(ZoneOffset.UTC).toLocalDate().toString()));
        d.put("taxonomic", taxa.stream().map(name -> Map.of("scientificName", name)).toList());
        try {
            return JSON.writeValueAsBytes(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cameraModel(Camera camera) {
        if (camera.make() == null && camera.model() == null) {
            return "";
        }
        return (camera.make() == null ? "" : camera.make().replace(' ', '_')) + "-"
                + (camera.model() == null ? "" : camera.model().replace(' ', '_'));
    }

    private static List<String> row(List<String> fields, Map<String, String> values) {
        return fields.stream().map(name -> values.getOrDefault(name, "")).toList();
    }

    static byte[] csv(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        line(out, header);
        rows.forEach(row -> line(out, row));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append("\r\n");
    }

    /** Seconds and an offset, as the standard's {@code %Y-%m-%dT%H:%M:%S%z} wants. */
    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Plain decimal notation, never an exponent. */
    static String number(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static double clamp(float value) {
        return Math.max(0, Math.min(1, new BigDecimal(Float.toString(value)).doubleValue()));
    }
}
