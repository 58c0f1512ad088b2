package org.trapline.aggregator.counts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.trapline.config.TraplineConfig;

/**
 * A closed capture session the user defines for a population estimate: two occasions, each a period in
 * which the individuals seen count as "caught", at the sites named (every site when none is named).
 *
 * <p>Configuration: {@code aggregator.sessions=wet-2026,dry-2026}, then for each
 * {@code aggregator.session.wet-2026.occasion1=2026-01-01T00:00:00Z/2026-01-15T00:00:00Z},
 * {@code ….occasion2=…} (ISO-8601 instants, start inclusive, end exclusive) and optionally
 * {@code ….sites=north,south}.
 */
public record CaptureSession(String name, Instant start1, Instant end1, Instant start2, Instant end2, Set<String> sites) {

    public CaptureSession {
        if (!start1.isBefore(end1) || !start2.isBefore(end2) || end1.isAfter(start2)) {
            throw new IllegalArgumentException("capture session '" + name
                    + "': each occasion must start before it ends, and the first must end before the second starts");
        }
        sites = Set.copyOf(sites);
    }

    public boolean appliesTo(String siteId) {
        return sites.isEmpty() || sites.contains(siteId);
    }

    /** 1 or 2 for the occasion {@code time} falls in, 0 when in neither. */
    public int occasion(long time) {
        if (time >= start1.toEpochMilli() && time < end1.toEpochMilli()) {
            return 1;
        }
        if (time >= start2.toEpochMilli() && time < end2.toEpochMilli()) {
            return 2;
        }
        return 0;
    }

    public static List<CaptureSession> fromConfig(TraplineConfig config) {
        List<CaptureSession> sessions = new ArrayList<>();
        for (String n : Periods.names(config, "aggregator.sessions")) {
            Periods.Period first = Periods.period(config, "aggregator.session." + n + ".occasion1");
            Periods.Period second = Periods.period(config, "aggregator.session." + n + ".occasion2");
            sessions.add(new CaptureSession(n, first.start(), first.end(), second.start(), second.end(),
                    Periods.sites(config, "aggregator.session." + n + ".sites")));
        }
        return List.copyOf(sessions);
    }
}
