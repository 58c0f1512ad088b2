package org.trapline.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The sites, cameras and deployments ingest knows. Loaded from a JSON file; changes through the API are
 * checked for consistency and written back to the file atomically, so a restart keeps them. Reads see a
 * consistent snapshot without locking.
 */
public final class SiteCatalog {

    /** What the file holds. */
    public record Contents(List<Site> sites, List<Camera> cameras, List<Deployment> deployments) {
        public Contents {
            sites = sites == null ? List.of() : List.copyOf(sites);
            cameras = cameras == null ? List.of() : List.copyOf(cameras);
            deployments = deployments == null ? List.of() : List.copyOf(deployments);
        }
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{3}");

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Path file;
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, Site> sites, Map<String, Camera> cameras, List<Deployment> deployments) {
        Contents contents() {
            return new Contents(List.copyOf(sites.values()), List.copyOf(cameras.values()), deployments);
        }
    }

    private SiteCatalog(Path file, Contents contents) {
        this.file = file;
        this.snapshot = validate(contents);
    }

    /** The catalog in {@code file}; an empty one (written on first change) when the file does not exist. */
    public static SiteCatalog load(Path file) {
        try {
            Contents contents = Files.exists(file)
                    ? new ObjectMapper().registerModule(new JavaTimeModule()).readValue(file.toFile(), Contents.class)
                    : new Contents(List.of(), List.of(), List.of());
            return new SiteCatalog(file, contents);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the site catalog " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<Site> site(String id) {
        return Optional.ofNullable(snapshot.sites().get(id));
    }

    public Optional<Camera> camera(String id) {
        return Optional.ofNullable(snapshot.cameras().get(id));
    }

    /** The deployment of this camera that covers {@code time}, if any. */
    public Optional<Deployment> deploymentAt(String cameraId, Instant time) {
        return snapshot.deployments().stream()
                .filter(d -> d.cameraId().equals(cameraId) && d.covers(time))
                .findFirst();
    }

    public Contents contents() {
        return snapshot.contents();
    }

    public synchronized Site putSite(Site site) {
        Contents current = contents();
        update(new Contents(replace(current.sites(), site, Site::id), current.cameras(), current.deployments()));
        return site;
    }

    public synchronized Camera putCamera(Camera camera) {
        Contents current = contents();
        update(new Contents(current.sites(), replace(current.cameras(), camera, Camera::id), current.deployments()));
        return camera;
    }

    public synchronized Deployment putDeployment(Deployment deployment) {
        Contents current = contents();
        update(new Contents(current.sites(), current.cameras(),
                replace(current.deployments(), deployment, Deployment::id)));
        return deployment;
    }

    private void update(Contents contents) {
        Snapshot checked = validate(contents);
        write(checked.contents());
        snapshot = checked;
    }

    private static <T> List<T> replace(List<T> items, T item, Function<T, String> id) {
        List<T> result = new ArrayList<>(items.stream().filter(i -> !id.apply(i).equals(id.apply(item))).toList());
        result.add(item);
        return result;
    }

    private static Snapshot validate(Contents contents) {
        Map<String, Site> sites = index(contents.sites(), Site::id, "site");
        for (Site site : sites.values()) {
            if (site.latitude() != null && Math.abs(site.latitude()) > 90
                    || site.longitude() != null && Math.abs(site.longitude()) > 180) {
                throw new CatalogException("site '" + site.id() + "' has coordinates outside WGS84");
            }
            if (site.country() != null && !COUNTRY.matcher(site.country()).matches()) {
                throw new CatalogException("site '" + site.id() + "': the country is an ISO 3166-1 alpha-3 code such as USA, not '"
                        + site.country() + "'");
            }
            try {
                site.zone();
            } catch (RuntimeException e) {
                throw new CatalogException("site '" + site.id() + "' has an unknown time zone '" + site.timeZone() + "'");
            }
        }
        Map<String, Camera> cameras = index(contents.cameras(), Camera::id, "camera");
        for (Camera camera : cameras.values()) {
            if (!sites.containsKey(camera.siteId())) {
                throw new CatalogException("camera '" + camera.id() + "' is at unknown site '" + camera.siteId() + "'");
            }
        }
        index(contents.deployments(), Deployment::id, "deployment");
        List<Deployment> deployments = new ArrayList<>(contents.deployments());
        deployments.sort(Comparator.comparing(Deployment::cameraId).thenComparing(Deployment::start));
        for (int i = 0; i < deployments.size(); i++) {
            Deployment d = deployments.get(i);
            if (!cameras.containsKey(d.cameraId()) || !sites.containsKey(d.siteId())) {
                throw new CatalogException("deployment '" + d.id() + "' names an unknown camera or site");
            }
            if (d.start() == null || d.end() != null && !d.end().isAfter(d.start())) {
                throw new CatalogException("deployment '" + d.id() + "' must start before it ends");
            }
            if (i > 0) {
                Deployment previous = deployments.get(i - 1);
                if (previous.cameraId().equals(d.cameraId()) && (previous.end() == null || previous.end().isAfter(d.start()))) {
                    throw new CatalogException("deployments '" + previous.id() + "' and '" + d.id()
                            + "' of camera '" + d.cameraId() + "' overlap");
                }
            }
        }
        return new Snapshot(sites, cameras, List.copyOf(deployments));
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> id, String what) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (T item : items) {
            String key = id.apply(item);
            if (key == null || !ID.matcher(key).matches()) {
                throw new CatalogException(what + " id '" + key + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (byId.put(key, item) != null) {
                throw new CatalogException(what + " '" + key + "' appears twice");
            }
        }
        return byId;
    }

    private void write(Contents contents) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".catalog-", ".json");
            json.writeValue(temp.toFile(), contents);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the site catalog " + file, e);
        }
    }

    /** Ids of every camera, by site, for logs and the API. */
    public Map<String, List<String>> camerasBySite() {
        return snapshot.cameras().values().stream()
                .collect(Collectors.groupingBy(Camera::siteId, Collectors.mapping(Camera::id, Collectors.toList())));
    }
}
