package org.trapline.devtools.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.IngestComponents;
import org.trapline.ingest.cli.SdCardImport;
import org.trapline.ingest.frames.Rejection;

/**
 * A folder of images imported as one site, as reserve staff import SD cards: each subfolder is one
 * camera's card, named after it (with all it holds below it); a folder without subfolders is one card.
 * Cameras and the site are registered in the catalog first. Imports are idempotent, so running it again
 * adds nothing.
 */
public final class FolderImport {

    /** What one camera's card gave. */
    public record CameraImport(String cameraId, Path folder, SdCardImport.Summary summary) {
    }

    private final TraplineConfig config;

    public FolderImport(TraplineConfig config) {
        this.config = config;
    }

    /** The cameras a folder holds, each with its card's folder. */
    public static Map<String, Path> cameras(Path root) throws IOException {
        Map<String, Path> cameras = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted()
                    .forEach(folder -> cameras.put(cameraId(folder), folder));
        }
        if (cameras.isEmpty()) {
            cameras.put(cameraId(root), root);
        }
        return cameras;
    }

    /**
     * Registers the site and the cameras in the catalog. What {@code siteConfig} says (a catalog file's
     * sites, cameras and deployments: coordinates, time zone, country, camera models, when each camera was
     * out) is put as it is, so that running again with the same file changes nothing; a site or camera it
     * does not describe is registered bare where missing (no coordinates: such a site cannot be exported as
     * Camtrap DP until the catalog gives them).
     */
    public void register(String siteId, Map<String, Path> cameras, SiteCatalog.Contents siteConfig) throws IOException {
        try (IngestComponents parts = IngestComponents.create(config, "folder-import")) {
            SiteCatalog catalog = parts.catalog();
            siteConfig.sites().forEach(catalog::putSite);
            siteConfig.cameras().forEach(catalog::putCamera);
            siteConfig.deployments().forEach(catalog::putDeployment);
            if (catalog.site(siteId).isEmpty()) {
                catalog.putSite(new Site(siteId, siteId, null, null, null));
            }
            for (String camera : cameras.keySet()) {
                if (catalog.camera(camera).isEmpty()) {
                    catalog.putCamera(new Camera(camera, siteId, null, null, 0));
                }
            }
        }
    }

    /** Registers the site and the cameras bare, where they are missing. */
    public void register(String siteId, Map<String, Path> cameras) throws IOException {
        register(siteId, cameras, new SiteCatalog.Contents(List.of(), List.of(), List.of()));
    }

    /** A catalog file's contents (the format of {@code ingest.catalog.file}), as {@code --site-config} names it. */
    public static SiteCatalog.Contents siteConfig(Path file) {
        return SiteCatalog.load(file).contents();
    }

    /** Imports every camera's card. */
    public List<CameraImport> run(String siteId, Map<String, Path> cameras) throws IOException, Rejection {
        List<CameraImport> done = new ArrayList<>();
        try (IngestComponents parts = IngestComponents.create(config, "folder-import")) {
            SdCardImport importer = new SdCardImport(parts);
            for (Map.Entry<String, Path> camera : cameras.entrySet()) {
                done.add(new CameraImport(camera.getKey(), camera.getValue(),
                        importer.run(camera.getValue(), siteId, camera.getKey(), 1.0, (file, bytes) -> { })));
            }
        }
        return done;
    }

    static String cameraId(Path folder) {
        String name = folder.getFileName() == null ? "camera" : folder.getFileName().toString();
        String id = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        return id.isEmpty() ? "camera" : id.substring(0, Math.min(64, id.length()));
    }
}
