package org.trapline.devtools.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.topics.TopicSnapshot;
import org.trapline.topics.Topics;

/**
 * What the pipeline made of the frames, per site, read from the committed topics themselves: frames,
 * empty and redacted frames (the detector's results), sightings per species (each sighting id once, as
 * it last reads), and the distinct live individuals of the gallery seen at the site. A species is the
 * scientific name the species classifier gave (at whatever rank it was sure of: "Puma concolor",
 * "Felidae", "Aves"), as the identifier keys its galleries; an animal no classifier named is listed by the
 * detector's label, in quotes.
 */
public record PipelineSummary(Map<String, Site> sites) {

    /** One site's figures. */
    public record Site(long frames, long empty, long redacted, Map<String, Long> sightingsBySpecies,
                       Map<String, Set<String>> individualsBySpecies, Set<String> detectorLabels, Set<String> unmarked) {

        public long sightings() {
            return sightingsBySpecies.values().stream().mapToLong(Long::longValue).sum();
        }

        public int individuals() {
            return individualsBySpecies.values().stream().mapToInt(Set::size).sum();
        }
    }

    public static PipelineSummary read(TraplineConfig config) {
        KafkaClientSettings clients = new KafkaClientSettings(config);
        Duration timeout = Duration.ofMinutes(2);
        Map<String, long[]> frames = new TreeMap<>();  // site -> frames, empty, redacted
        Map<String, FrameDetections> byFrame = new HashMap<>();
        TopicSnapshot.readAll(clients, "trapline-summary", Topics.DETECTIONS.name(),
                Topics.DETECTIONS.valueSerde(config).deserializer(), timeout, (r, e) -> { }, (key, d) -> {
                    if (d != null) {
                        byFrame.put(d.getFrameId(), d);  // a frame's result, once, even if it were sent twice
                    }
                });
        byFrame.values().forEach(d -> {
            long[] counts = frames.computeIfAbsent(d.getSiteId(), s -> new long[3]);
            counts[0]++;
            counts[1] += d.getEmpty() ? 1 : 0;
            counts[2] += d.getRedacted() ? 1 : 0;
        });
        Map<String, Sighting> sightings = new HashMap<>();
        TopicSnapshot.readAll(clients, "trapline-summary", Topics.SIGHTINGS.name(),
                Topics.SIGHTINGS.valueSerde(config).deserializer(), timeout, (r, e) -> { }, (key, s) -> {
                    if (s != null) {
                        sightings.put(s.getSightingId(), s);
                    }
                });
        Map<String, IndividualUpdate> gallery = TopicSnapshot.latest(clients, "trapline-summary", Topics.INDIVIDUALS.name(),
                Topics.INDIVIDUALS.valueSerde(config).deserializer(), timeout, (r, e) -> { });
        Map<String, Site> sites = new TreeMap<>();
        for (String site : frames.keySet()) {
            Map<String, Long> species = new TreeMap<>();
            Map<String, Set<String>> individuals = new TreeMap<>();
            Set<String> detectorLabels = new TreeSet<>();
            Set<String> marked = new TreeSet<>();
            sightings.values().stream().filter(s -> s.getSiteId().equals(site)).forEach(s -> {
                species.merge(AnimalSpecies.of(s).key(), 1L, Long::sum);
                if (s.getScientificName() == null) {
                    detectorLabels.add(AnimalSpecies.of(s).key());
                }
                if (s.getDecision() != MatchDecision.UNMARKED) {
                    marked.add(AnimalSpecies.of(s).key());
                }
            });
            Set<String> unmarked = new TreeSet<>(species.keySet());
            unmarked.removeAll(marked);
            gallery.values().stream()
                    .filter(i -> i.getStatus() != IndividualStatus.MERGED && i.getStatus() != IndividualStatus.RETIRED)
                    .filter(i -> i.getSightingIds().stream().map(sightings::get)
                            .anyMatch(s -> s != null && s.getSiteId().equals(site)))
                    .forEach(i -> individuals.computeIfAbsent(i.getSpecies(), k -> new TreeSet<>()).add(i.getIndividualId()));
            long[] counts = frames.get(site);
            sites.put(site, new Site(counts[0], counts[1], counts[2], species, individuals, detectorLabels, unmarked));
        }
        return new PipelineSummary(sites);
    }

    public void print(PrintStream out) {
        out.printf("%-16s %7s %6s %9s %10s %12s  %s%n", "site", "frames", "empty", "redacted", "sightings", "individuals",
                "marked species, told apart (sightings / individuals)");
        sites.forEach((site, s) -> {
            out.printf("%-16s %7d %6d %9d %10d %12d  %s%n", site, s.frames(), s.empty(), s.redacted(), s.sightings(),
                    s.individuals(), speciesList(s, false));
            out.printf("%-16s %50s  unmarked species, counted by events (sightings): %s%n", "", "", speciesList(s, true));
        });
    }

    private static String speciesList(Site site, boolean unmarked) {
        List<String> parts = site.sightingsBySpecies().entrySet().stream()
                .filter(e -> site.unmarked().contains(e.getKey()) == unmarked)
                .map(e -> (site.detectorLabels().contains(e.getKey()) ? "\"" + e.getKey() + "\"" : e.getKey()) + " " + e.getValue()
                        + (unmarked ? "" : "/" + site.individualsBySpecies().getOrDefault(e.getKey(), Set.of()).size())).toList();
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
