package org.trapline.aggregator.sites;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

import org.trapline.catalog.Camera;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.catalog.WatchedCatalog;

/**
 * The aggregator's view of the site catalog: each site's time zone (days and hours of the day are the
 * site's own) and the sampling effort of its deployments. Read from the catalog file ingest keeps, again
 * whenever that file changes.
 *
 * <p>Effort is counted in <b>trap-nights</b>: camera-days of 24 hours during which a deployment was out,
 * so a camera set at 18:00 and collected at 06:00 the next morning gave half a trap-night. A deployment
 * still out counts until now.
 */
public final class SiteDirectory {

    private static final double MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    private final Supplier<SiteCatalog.Contents> contents;

    private SiteDirectory(Supplier<SiteCatalog.Contents> contents) {
        this.contents = contents;
    }

    /** A fixed catalog (tests, tools). */
    public static SiteDirectory of(SiteCatalog.Contents contents) {
        return new SiteDirectory(() -> contents);
    }

    /** The catalog in {@code file}, read again when the file changes (checked at most once a second). */
    public static SiteDirectory watching(Path file) {
        return new SiteDirectory(new WatchedCatalog(file));
    }

    public List<Site> sites() {
        return contents.get().sites();
    }

    public Optional<Site> site(String siteId) {
        return sites().stream().filter(s -> s.id().equals(siteId)).findFirst();
    }

    /** The site's zone, UTC for a site the catalog does not know or gives no zone. */
    public ZoneId zone(String siteId) {
        return site(siteId).map(Site::zone).orElse(ZoneId.of("UTC"));
    }

    public Optional<Camera> camera(String cameraId) {
        return contents.get().cameras().stream().filter(c -> c.id().equals(cameraId)).findFirst();
    }

    public List<Deployment> deployments(String siteId) {
        return contents.get().deployments().stream().filter(d -> d.siteId().equals(siteId)).toList();
    }

    public Optional<Deployment> deployment(String deploymentId) {
        return contents.get().deployments().stream().filter(d -> d.id().equals(deploymentId)).findFirst();
    }

    /** The deployment of a camera that covers a time, if the catalog has one. */
    public Optional<Deployment> deploymentAt(String cameraId, Instant time) {
        return contents.get().deployments().stream().filter(d -> d.cameraId().equals(cameraId) && d.covers(time)).findFirst();
    }

    /**
     * Trap-nights of the site's deployments within {@code [from, to)} (either open when null), counting
     * deployments still out until {@code now}; empty when the catalog has no deployment at the site, so
     * that unknown effort is never taken for none.
     */
    public OptionalDouble trapNights(String siteId, Instant from, Instant to, Instant now) {
        List<Deployment> deployments = deployments(siteId);
        if (deployments.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(deployments.stream().mapToDouble(d -> trapNights(d, from, to, now)).sum());
    }

    /** Trap-nights of one deployment within {@code [from, to)} (either open when null), until {@code now}. */
    public static double trapNights(Deployment d, Instant from, Instant to, Instant now) {
        Instant end = d.end() == null || d.end().isAfter(now) ? now : d.end();
        Instant start = from != null && from.isAfter(d.start()) ? from : d.start();
        if (to != null && to.isBefore(end)) {
            end = to;
        }
        return end.isAfter(start) ? Duration.between(start, end).toMillis() / MILLIS_PER_DAY : 0;
    }
}
