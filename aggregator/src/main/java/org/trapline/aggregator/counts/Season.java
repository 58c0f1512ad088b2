package org.trapline.aggregator.counts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.trapline.config.TraplineConfig;

/**
 * A season the user defines for demography: one period, at the sites named (every site when none is).
 * Each is a window of its own ({@code season/NAME}): sightings, events, individuals and effort are
 * counted in it like in any window, and the demography of a site is told per season.
 *
 * <p>Configuration, like capture sessions: {@code aggregator.seasons=wet-2026,dry-2026}, then for each
 * {@code aggregator.season.wet-2026.period=2026-01-01T00:00:00Z/2026-04-01T00:00:00Z} (ISO-8601
 * instants, start inclusive, end exclusive) and optionally {@code aggregator.season.wet-2026.sites=north,south}.
 */
public record Season(String name, Instant start, Instant end, Set<String> sites) {

    public Season {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("season '" + name + "' must start before it ends");
        }
        sites = Set.copyOf(sites);
    }

    public boolean appliesTo(String siteId) {
        return sites.isEmpty() || sites.contains(siteId);
    }

    public boolean contains(long time) {
        return time >= start.toEpochMilli() && time < end.toEpochMilli();
    }

    public static List<Season> fromConfig(TraplineConfig config) {
        List<Season> seasons = new ArrayList<>();
        for (String n : Periods.names(config, "aggregator.seasons")) {
            Periods.Period period = Periods.period(config, "aggregator.season." + n + ".period");
            seasons.add(new Season(n, period.start(), period.end(), Periods.sites(config, "aggregator.season." + n + ".sites")));
        }
        return List.copyOf(seasons);
    }
}
