package org.trapline.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog file ingest keeps, as a service that only reads it sees it (the aggregator for effort and
 * time zones, the detector for the country of a site): read again when its modification time changes,
 * checked at most once a second; the last good contents are kept when the file cannot be read. Empty
 * until the file exists.
 */
public final class WatchedCatalog implements Supplier<SiteCatalog.Contents> {

    private static final Logger log = LoggerFactory.getLogger(WatchedCatalog.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile SiteCatalog.Contents current = new SiteCatalog.Contents(List.of(), List.of(), List.of());
    private volatile FileTime loadedVersion;
    private volatile long checkedAt;

    public WatchedCatalog(Path file) {
        this.file = file;
        this.checkedAt = System.nanoTime();
        reloadIfChanged();
    }

    @Override
    public SiteCatalog.Contents get() {
        long now = System.nanoTime();
        if (now - checkedAt > CHECK_EVERY_NANOS) {
            checkedAt = now;
            reloadIfChanged();
        }
        return current;
    }

    private synchronized void reloadIfChanged() {
        try {
            FileTime version = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (version == null || version.equals(loadedVersion)) {
                return;
            }
            current = SiteCatalog.load(file).contents();
            loadedVersion = version;
            log.info("site catalog {} read: {} sites, {} deployments", file, current.sites().size(), current.deployments().size());
        } catch (IOException | RuntimeException e) {
            log.warn("site catalog {} could not be read, keeping the last one: {}", file, e.getMessage());
        }
    }
}
