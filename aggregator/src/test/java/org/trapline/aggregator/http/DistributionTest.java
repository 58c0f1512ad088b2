package org.trapline.aggregator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;

class DistributionTest {

    static final SiteDirectory SITES = SiteDirectory.of(new SiteCatalog.Contents(List.of(
            new Site("a", "A", -24.0, 31.0, null), new Site("b", "B", -24.5, 31.5, null),
            new Site("c", "C", null, null, null)), List.of(), List.of()));

    static SiteQueries.WindowCounts counts(String site, Double trapNights, long sightings, SiteQueries.SpeciesCounts... species) {
        return new SiteQueries.WindowCounts(site, site.toUpperCase(), "all", "ALL_TIME", null, null, sightings, 0, 0, 0,
                trapNights, null, List.of(species));
    }

    static SiteQueries.SpeciesCounts leopard(long sightings, long events) {
        return new SiteQueries.SpeciesCounts("leopard", sightings, events, events, 0, null);
    }

    /**
     * Leopards: site a, 50 trap-nights, 4 independent events: 4·100/50 = 8 per 100 trap-nights; site b,
     * 40 trap-nights, impala only: surveyed, not detected, rate 0; site c, no effort known but a sighting
     * (surveyed), 2 leopard events, no rate; site d, nothing at all: not surveyed. Naive occupancy: 2 of 3
     * surveyed sites (a, c), Wilson with n = 3: 1 + z²/3 = 2.280486, centre (0.666667 + 0.640243)/2.280486
     * = 0.573084, half 1.959964·√(0.074074 + 0.106707)/2.280486 = 0.365424: [0.207660, 0.938508].
     */
    @Test
    void ratesPer100TrapNightsAndNaiveOccupancy() {
        List<Distribution.SitePoint> points = Distribution.points("leopard", List.of(
                counts("a", 50.0, 5, leopard(5, 4)),
                counts("b", 40.0, 3, new SiteQueries.SpeciesCounts("impala", 3, 2, 2, 0, null)),
                counts("c", null, 2, leopard(2, 2)),
                counts("d", 0.0, 0)), SITES);
        assertEquals(8.0, points.get(0).eventsPer100TrapNights(), 1e-12);
        assertEquals(-24.0, points.get(0).latitude());
        assertEquals(0.0, points.get(1).eventsPer100TrapNights(), 1e-12);
        assertEquals(List.of(true, false, true, false), points.stream().map(Distribution.SitePoint::detected).toList());
        assertEquals(List.of(true, true, true, false), points.stream().map(Distribution.SitePoint::surveyed).toList());
        assertNull(points.get(2).eventsPer100TrapNights(), "effort unknown: no rate");
        assertNull(points.get(2).latitude(), "the catalog gives c no coordinates");

        Distribution.Occupancy occupancy = Distribution.occupancy("all", null, null, null, points);
        assertEquals(2, occupancy.naiveOccupancy().count());
        assertEquals(3, occupancy.naiveOccupancy().of());
        assertEquals(0.207660, occupancy.naiveOccupancy().lower95(), 1e-6);
        assertEquals(0.938508, occupancy.naiveOccupancy().upper95(), 1e-6);
    }
}
