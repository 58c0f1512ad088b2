package org.trapline.devtools.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The unmarked species as the aggregator surveys them, for the main job's summary: per site and species, its
 * independent events and the single-season occupancy model over weekly occasions at each camera since its
 * deployment (the aggregator's {@code /api/sites/{site}/survey}), and its animals counted as each event's MaxN
 * (the most on one frame; {@code /api/sites/{site}/species}), beside the marked species' population view.
 */
public record UnmarkedView(Map<String, List<JsonNode>> surveysBySite, Map<String, Map<String, Long>> animalsBySite) {

    /** Weekly occasions: a day is too short for most species to be seen at a camera at all. */
    static final String OCCASION = "P7D";

    public static UnmarkedView read(ServiceClient http, String aggregatorUrl, Map<String, PipelineSummary.Site> sites)
            throws IOException, InterruptedException {
        // up to the end of today (frames without a capture time of their own are taken now), so that runs on one day
        // survey the same occasions
        String to = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS).toString();
        Map<String, List<JsonNode>> bySite = new LinkedHashMap<>();
        Map<String, Map<String, Long>> animalsBySite = new LinkedHashMap<>();
        for (Map.Entry<String, PipelineSummary.Site> site : sites.entrySet()) {
            String siteUrl = aggregatorUrl + "/api/sites/" + ServiceClient.encode(site.getKey());
            List<JsonNode> surveys = new ArrayList<>();
            for (String species : site.getValue().unmarked()) {
                surveys.add(http.getJson(siteUrl + "/survey?species=" + ServiceClient.encode(species) + "&occasion=" + OCCASION
                        + "&to=" + to));
            }
            bySite.put(site.getKey(), surveys);
            Map<String, Long> animals = new LinkedHashMap<>();
            // the summary names a species by its scientific name where the classifier gave one (several labels may share
            // it: their animals add up), else by the detector's label
            http.getJson(siteUrl + "/species").forEach(sp -> animals.merge(sp.path("scientificName").isTextual()
                    ? sp.path("scientificName").asText() : sp.path("species").asText(), sp.path("animals").asLong(), Long::sum));
            animalsBySite.put(site.getKey(), animals);
        }
        return new UnmarkedView(bySite, animalsBySite);
    }

    public void print(PrintStream out) {
        out.println("Unmarked species (animals: each event's MaxN, summed; weekly occasions at each camera since its deployment;"
                + " docs/estimators.md):");
        out.printf("%-16s %-22s %7s %7s %9s %7s  %-26s %s%n", "site", "species", "events", "animals", "cameras", "naive",
                "psi, 95% interval", "p, 95% interval");
        surveysBySite.forEach((site, surveys) -> surveys.forEach(s -> {
            JsonNode occupancy = s.path("occupancy");
            Long animals = animalsBySite.getOrDefault(site, Map.of()).get(s.path("species").asText());
            out.printf("%-16s %-22s %7d %7s %4d of %d %7s  %-26s %s%n", site, s.path("species").asText(),
                    s.path("independentEvents").asLong(), animals == null ? "-" : animals.toString(),
                    occupancy.path("sitesDetected").asInt(), occupancy.path("sites").asInt(),
                    number(occupancy.path("naiveOccupancy")), estimate(occupancy.path("psi"), occupancy),
                    estimate(occupancy.path("p"), occupancy));
        }));
    }

    private static String estimate(JsonNode estimate, JsonNode occupancy) {
        if (estimate.isMissingNode() || estimate.isNull()) {
            return "- (" + occupancy.path("status").asText().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        JsonNode lower = estimate.path("lower95");
        JsonNode upper = estimate.path("upper95");
        // three significant digits: a weekly detection probability can be a few in a thousand
        return String.format("%.3g", estimate.path("estimate").asDouble())
                + (lower.isNumber() && upper.isNumber() ? String.format(" [%.3g, %.3g]", lower.asDouble(), upper.asDouble())
                : " (" + occupancy.path("status").asText().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    private static String number(JsonNode value) {
        return value.isNumber() ? String.format("%.2f", value.asDouble()) : "-";
    }

}
