package org.trapline.devtools.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The population as the aggregator tells it, for the main job's summary: per site and species, in the
 * first configured season, the individuals known alive, their sexes and the sex ratio with its 95%
 * Wilson interval, read from the aggregator's own API (its interactive queries), as a dashboard would.
 */
public record PopulationView(String season, Map<String, List<JsonNode>> speciesBySite) {

    /** The first season's demography of each site; an empty view when the aggregator has no season configured. */
    public static PopulationView read(ServiceClient http, String aggregatorUrl, Collection<String> sites)
            throws IOException, InterruptedException {
        JsonNode seasons = http.getJson(aggregatorUrl + "/api/seasons");
        if (!seasons.isArray() || seasons.isEmpty()) {
            return new PopulationView(null, Map.of());
        }
        String season = seasons.get(0).get("name").asText();
        Map<String, List<JsonNode>> bySite = new LinkedHashMap<>();
        for (String site : sites) {
            JsonNode demography = http.getJson(aggregatorUrl + "/api/sites/" + ServiceClient.encode(site) + "/demography?season=" + ServiceClient.encode(season));
            List<JsonNode> species = new ArrayList<>();
            demography.path("species").forEach(species::add);
            bySite.put(site, species);
        }
        return new PopulationView(season, bySite);
    }

    public void print(PrintStream out) {
        if (season == null) {
            out.println("No season configured for demography (aggregator.seasons): no population view.");
            return;
        }
        out.printf("Population in season '%s' (known alive: seen in it, or before and after it):%n", season);
        out.printf("%-16s %-22s %11s %7s %5s %8s  %s%n", "site", "species", "known alive", "female", "male", "unknown",
                "sex ratio F/(F+M), 95% Wilson");
        speciesBySite.forEach((site, species) -> species.forEach(s -> {
            JsonNode sex = s.path("sex");
            out.printf("%-16s %-22s %11d %7d %5d %8d  %s%n", site, s.path("species").asText(), s.path("knownAlive").asLong(),
                    sex.path("female").asLong(), sex.path("male").asLong(), sex.path("unknown").asLong(), ratio(s.path("sexRatio")));
        }));
        out.println("(sexes, ages, mothers and deaths are recorded through the identifier's review API: docs/identifier.md, \"Life histories\")");
    }

    private static String ratio(JsonNode wilson) {
        if (wilson.path("of").asLong() == 0 || wilson.path("estimate").isNull() || wilson.path("estimate").isMissingNode()) {
            return "-";
        }
        return String.format("%.2f [%.2f, %.2f] of %d", wilson.get("estimate").asDouble(), wilson.get("lower95").asDouble(),
                wilson.get("upper95").asDouble(), wilson.get("of").asLong());
    }

}
