package org.trapline.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Settings every service that runs a network reads. */
public final class CommonSettings {

    public static final Setting<String> MODELS_DIR = Setting.text("models.dir", "../shared/models",
            "where the stand-in models are looked for when a model's own path is not given");

    public static final Setting<String> CATALOG_FILE = Setting.text("ingest.catalog.file", null,
            "the site catalog: sites, cameras, deployments").documentedDefault("`<data.dir>/ingest/catalog.json`");

    public static final List<Setting<?>> ALL = List.of(MODELS_DIR, CATALOG_FILE);

    /**
     * The site catalog's file as a service reads it: its own setting ({@code aggregator.catalog.file}, …) where
     * given, else ingest's, which writes it, else ingest's default under {@code data.dir}.
     */
    public static Path catalogFile(TraplineConfig config, Setting<String> own) {
        return Optional.ofNullable(own.of(config)).or(() -> Optional.ofNullable(CATALOG_FILE.of(config))).map(Path::of)
                .orElseGet(() -> config.dataDir().resolve("ingest").resolve("catalog.json"));
    }

    private CommonSettings() {
    }
}
