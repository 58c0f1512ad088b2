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

    /** The site catalog's file as ingest, which writes it, has it: {@code ingest.catalog.file}, else under {@code data.dir}. */
    public static Path catalogFile(TraplineConfig config) {
        return Optional.ofNullable(CATALOG_FILE.of(config)).map(Path::of)
                .orElseGet(() -> config.dataDir().resolve("ingest").resolve("catalog.json"));
    }

    /** The site catalog's file as another service reads it: its own setting ({@code aggregator.catalog.file}, …), else ingest's. */
    public static Path catalogFile(TraplineConfig config, Setting<String> own) {
        return Optional.ofNullable(own.of(config)).map(Path::of).orElseGet(() -> catalogFile(config));
    }

    private CommonSettings() {
    }
}
