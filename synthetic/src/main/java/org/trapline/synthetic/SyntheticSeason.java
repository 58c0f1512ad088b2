package org.trapline.synthetic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.trapline.schema.BlobRef;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.DetectionRef;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.Sighting;

/**
 * A season of sightings shaped like camera-trap data, for tests and benchmarks: a few sites with a few
 * cameras each, five species, a pool of known individuals per site and species, capture times advancing
 * by a few minutes so that some detections fall into one independent event and some do not, and one in
 * five sightings left for review (no individual). Reproducible from its seed; ids carry a run id so that
 * runs on a shared broker never meet.
 */
public final class SyntheticSeason {

    static final List<String> SPECIES = List.of("leopard", "impala", "spotted hyena", "warthog", "african elephant");
    static final Map<String, String> SCIENTIFIC = Map.of("leopard", "Panthera pardus", "impala", "Aepyceros melampus",
            "spotted hyena", "Crocuta crocuta", "warthog", "Phacochoerus africanus", "african elephant", "Loxodonta africana");

    private final Random random;
    private final String runId;
    private final List<String> sites;
    private final int camerasPerSite;
    private final int individualsPerSpecies;
    private Instant clock;
    private int next;
    private final Map<String, List<String>> sightingsOf = new LinkedHashMap<>();
    private final Map<String, String> speciesOf = new LinkedHashMap<>();

    public SyntheticSeason(long seed, String runId, List<String> sites, int camerasPerSite, int individualsPerSpecies,
                           Instant start) {
        this.random = new Random(seed);
        this.runId = runId;
        this.sites = List.copyOf(sites);
        this.camerasPerSite = camerasPerSite;
        this.individualsPerSpecies = individualsPerSpecies;
        this.clock = start;
    }

    public List<String> sites() {
        return sites;
    }

    public static String camera(String site, int index) {
        return site + "-cam" + index;
    }

    /** The next sighting: a random site, camera and species, a few minutes after the one before. */
    public Sighting next() {
        clock = clock.plus(Duration.ofSeconds(random.nextInt(360)));
        String site = sites.get(random.nextInt(sites.size()));
        String camera = camera(site, random.nextInt(camerasPerSite));
        String species = SPECIES.get(random.nextInt(SPECIES.size()));
        String id = runId + "-s" + next++;
        String individual = random.nextInt(5) == 0 ? null
                : site + "-" + species.replace(' ', '_') + "-" + random.nextInt(individualsPerSpecies);
        if (individual != null) {
            sightingsOf.computeIfAbsent(individual, k -> new ArrayList<>()).add(id);
            speciesOf.put(individual, species);
        }
        return Sighting.newBuilder()
                .setSightingId(id)
                .setSiteId(site)
                .setCameraId(camera)
                .setDeploymentId(camera + "-2026")
                .setTime(clock)
                .setSpeciesLabel(species)
                .setScientificName(SCIENTIFIC.get(species))
                .setIndividualId(individual)
                .setDecision(individual == null ? MatchDecision.REVIEW : MatchDecision.MATCHED)
                .setMatchScore(individual == null ? 0.41f : 0.87f)
                .setEventId(camera + "-burst-" + clock.getEpochSecond() / 60)
                .setDetection(new DetectionRef(runId + "-f" + id, 0, DetectionCategory.ANIMAL, 0.5f + random.nextFloat() / 2,
                        new BoundingBox(0.1f + random.nextFloat() / 2, 0.2f, 0.25f, 0.3f),
                        new BlobRef("fs", "sha256/" + Integer.toHexString(next % 256) + "/" + runId + id, 150_000L)))
                .build();
    }

    public List<Sighting> next(int count) {
        List<Sighting> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(next());
        }
        return all;
    }

    /** The capture time of the last sighting made. */
    public Instant clock() {
        return clock;
    }

    /** Each individual seen so far, listing every sighting that named it. */
    public List<IndividualUpdate> gallery(Instant time) {
        List<IndividualUpdate> updates = new ArrayList<>();
        sightingsOf.forEach((id, sightings) -> updates.add(update(id, IndividualStatus.CONFIRMED, IndividualChange.UPDATED,
                null, sightings, time)));
        return updates;
    }

    /**
     * A merge as the gallery publishes it: the absorbed individual, MERGED into the survivor with no
     * sightings of its own, and the survivor listing both's.
     */
    public List<IndividualUpdate> merge(String absorbed, String survivor, Instant time) {
        List<String> all = new ArrayList<>(sightingsOf.getOrDefault(survivor, List.of()));
        all.addAll(sightingsOf.getOrDefault(absorbed, List.of()));
        sightingsOf.put(survivor, all);
        sightingsOf.remove(absorbed);
        return List.of(update(absorbed, IndividualStatus.MERGED, IndividualChange.MERGED, survivor, List.of(), time),
                update(survivor, IndividualStatus.CONFIRMED, IndividualChange.MERGED, null, all, time));
    }

    /** The individuals (as the gallery stands now) with sightings at a site. */
    public long individualsAt(String site) {
        return sightingsOf.keySet().stream().filter(id -> id.startsWith(site + "-")).count();
    }

    public List<String> individuals() {
        return List.copyOf(sightingsOf.keySet());
    }

    private IndividualUpdate update(String id, IndividualStatus status, IndividualChange change, String mergedInto,
                                    List<String> sightings, Instant time) {
        return IndividualUpdate.newBuilder()
                .setIndividualId(id)
                .setChange(change)
                .setStatus(status)
                .setTime(time)
                .setSpecies(speciesOf.getOrDefault(id, "unknown"))
                .setMergedInto(mergedInto)
                .setSightingIds(List.copyOf(sightings))
                .setActor("synthetic")
                .build();
    }
}
