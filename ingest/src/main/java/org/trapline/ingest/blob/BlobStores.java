package org.trapline.ingest.blob;

import java.io.IOException;
import java.nio.file.Path;

import org.trapline.config.TraplineConfig;

/**
 * The blob store the configuration names: {@code blob.store=fs} (the default) with {@code blob.fs.dir}
 * ({@code <data.dir>/blobs}).
 */
public final class BlobStores {

    private BlobStores() {
    }

    public static BlobStore fromConfig(TraplineConfig config) throws IOException {
        String kind = config.get("blob.store", "fs");
        return switch (kind) {
            case "fs" -> new FileSystemBlobStore(config.find("blob.fs.dir").map(Path::of)
                    .orElseGet(() -> config.dataDir().resolve("blobs")));
            default -> throw new IllegalArgumentException("unknown blob.store '" + kind + "': use fs");
        };
    }
}
