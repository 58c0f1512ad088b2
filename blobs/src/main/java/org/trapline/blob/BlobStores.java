package org.trapline.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import org.trapline.config.TraplineConfig;

/**
 * The blob store the configuration names: {@code blob.store=fs} (the default) with {@code blob.fs.dir}
 * ({@code <data.dir>/blobs}), or {@code blob.store=s3} with the settings of {@link S3BlobStore}.
 */
public final class BlobStores {

    private BlobStores() {
    }

    public static BlobStore fromConfig(TraplineConfig config) throws IOException {
        String kind = config.get("blob.store", "fs");
        return switch (kind) {
            case "fs" -> new FileSystemBlobStore(config.find("blob.fs.dir").map(Path::of)
                    .orElseGet(() -> config.dataDir().resolve("blobs")));
            case "s3" -> S3BlobStore.create(config.require("blob.s3.bucket"), config.get("blob.s3.region", "us-east-1"),
                    config.find("blob.s3.endpoint").map(URI::create), config.getBoolean("blob.s3.path.style", false),
                    config.find("blob.s3.access.key").map(access ->
                            AwsBasicCredentials.create(access, config.require("blob.s3.secret.key"))));
            default -> throw new IllegalArgumentException("unknown blob.store '" + kind + "': use fs or s3");
        };
    }
}
