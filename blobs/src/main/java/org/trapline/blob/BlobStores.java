package org.trapline.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;

/**
 * The blob store the configuration names: {@code blob.store=fs} (the default) with {@code blob.fs.dir}
 * ({@code <data.dir>/blobs}), or {@code blob.store=s3} with the settings of {@link S3BlobStore}.
 */
public final class BlobStores {

    public static final Setting<String> STORE = Setting.text("blob.store", "fs", "fs (the file system) or s3")
            .requiring(v -> v.equals("fs") || v.equals("s3"), "fs or s3");
    public static final Setting<String> FS_DIR = Setting.text("blob.fs.dir", null, "the file-system store's folder")
            .documentedDefault("`<data.dir>/blobs`");
    public static final Setting<String> S3_BUCKET = Setting.text("blob.s3.bucket", null, "the bucket")
            .documentedDefault("(required for `s3`)");
    public static final Setting<String> S3_REGION = Setting.text("blob.s3.region", "us-east-1", "the region");
    public static final Setting<String> S3_ENDPOINT = Setting.text("blob.s3.endpoint", null,
            "an S3-compatible store's address (MinIO, Ceph)").documentedDefault("(AWS)");
    public static final Setting<Boolean> S3_PATH_STYLE = Setting.flag("blob.s3.path.style", false, "true for S3-compatible stores");
    public static final Setting<String> S3_ACCESS_KEY = Setting.text("blob.s3.access.key", null, "static credentials")
            .documentedDefault("(the AWS default credentials)");
    public static final Setting<String> S3_SECRET_KEY = Setting.text("blob.s3.secret.key", null,
            "with an access key, its secret").documentedDefault("(the AWS default credentials)");

    /** Every blob store setting. */
    public static final List<Setting<?>> ALL = List.of(STORE, FS_DIR, S3_BUCKET, S3_REGION, S3_ENDPOINT, S3_PATH_STYLE,
            S3_ACCESS_KEY, S3_SECRET_KEY);

    private BlobStores() {
    }

    public static BlobStore fromConfig(TraplineConfig config) throws IOException {
        return switch (STORE.of(config)) {
            case "fs" -> new FileSystemBlobStore(Optional.ofNullable(FS_DIR.of(config)).map(Path::of)
                    .orElseGet(() -> config.dataDir().resolve("blobs")));
            default -> S3BlobStore.create(S3_BUCKET.required(config), S3_REGION.of(config),
                    Optional.ofNullable(S3_ENDPOINT.of(config)).map(URI::create), S3_PATH_STYLE.of(config),
                    Optional.ofNullable(S3_ACCESS_KEY.of(config)).map(access ->
                            AwsBasicCredentials.create(access, S3_SECRET_KEY.required(config))));
        };
    }
}
