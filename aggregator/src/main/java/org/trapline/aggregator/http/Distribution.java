package org.trapline.aggregator.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.trapline.aggregator.counts.Wilson;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.Site;

/**
 * Where a species was detected, site by site, in a window (all time or a season): each site with its
 * coordinates from the catalog, its effort, the species' independent events and their rate per 100
 * trap-nights; and the species' naive occupancy in each window, the share of the sites surveyed (with
 * effort in the window, or any sighting at all) where it was detected, with Wilson's 95% interval. Naive:
 * a site where the species went undetected counts as unoccupied, which it need not be.
 */
public final class Distribution {

    /**
     * @param surveyed whether the site was surveyed in the window (trap-nights, or any sighting)
     * @param detected whether the species was detected there
     */
    public record SitePoint(String siteId, String name, Double latitude, Double longitude, Double trapNights,
                            long sightings, long independentEvents, Double eventsPer100TrapNights, boolean surveyed,
                            boolean detected) {
    }

    /** @param season null for all time */
    public record Occupancy(String window, String season, Instant start, Instant end, Wilson naiveOccupancy) {
    }

    public record Answer(String species, String window, List<SitePoint> sites, List<Occupancy> occupancy) {
    }

    private Distribution() {
    }

    /** Each site's effort and the species' detections in one window, from every site's counts in it. */
    static List<SitePoint> points(String species, List<SiteQueries.WindowCounts> counts, SiteDirectory sites) {
        List<SitePoint> points = new ArrayList<>();
        for (SiteQueries.WindowCounts c : counts) {
            Optional<Site> site = sites.site(c.siteId());
            Optional<SiteQueries.SpeciesCounts> found = c.species().stream().filter(s -> s.species().equals(species)).findFirst();
            long events = found.map(SiteQueries.SpeciesCounts::independentEvents).orElse(0L);
            boolean surveyed = c.trapNights() != null && c.trapNights() > 0 || c.sightings() > 0;
            points.add(new SitePoint(c.siteId(), c.siteName(), site.map(Site::latitude).orElse(null),
                    site.map(Site::longitude).orElse(null), c.trapNights(), found.map(SiteQueries.SpeciesCounts::sightings).orElse(0L),
                    events, c.trapNights() == null || c.trapNights() <= 0 ? null : events * 100.0 / c.trapNights(), surveyed,
                    events > 0));
        }
        return points;
    }

    /** The naive occupancy of a window: detected among surveyed sites. */
    static Occupancy occupancy(String window, String season, Instant start, Instant end, List<SitePoint> points) {
        long surveyed = points.stream().filter(SitePoint::surveyed).count();
        long detected = points.stream().filter(p -> p.surveyed() && p.detected()).count();
        return new Occupancy(window, season, start, end, Wilson.of(detected, surveyed));
    }
}
