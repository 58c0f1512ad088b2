package org.trapline.blob;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs in an S3-compatible object store (AWS S3, MinIO, Ceph, …), for clusters where several ingest
 * and detector instances share one store. A PUT that S3 acknowledged is durable, and objects are
 * written whole or not at all, which is all the claim check needs.
 *
 * <p>Settings: {@code blob.s3.bucket}, {@code blob.s3.region} (us-east-1), {@code blob.s3.endpoint} (for
 * stores other than AWS), {@code blob.s3.path.style} (true for most of those), and
 * {@code blob.s3.access.key} / {@code blob.s3.secret.key}, else the AWS default credentials chain.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    public S3BlobStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static S3BlobStore create(String bucket, String region, Optional<URI> endpoint, boolean pathStyle,
                                     Optional<AwsBasicCredentials> credentials) {
        AwsCredentialsProvider provider = credentials.<AwsCredentialsProvider>map(StaticCredentialsProvider::create)
                .orElseGet(DefaultCredentialsProvider::create);
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region))
                .credentialsProvider(provider)
                .forcePathStyle(pathStyle)
                // S3-compatible stores do not all know the newer flexible checksums; send them only when required
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        endpoint.ifPresent(builder::endpointOverride);
        return new S3BlobStore(builder.build(), bucket);
    }

    @Override
    public String name() {
        return "s3";
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        if (exists(key)) {
            return;
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(BlobKeys.check(key)).contentLength((long) bytes.length),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("S3 did not store " + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(BlobKeys.check(key))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("S3 did not return " + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(BlobKeys.check(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("S3 could not say whether " + bucket + "/" + key + " exists: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(BlobKeys.check(key)));
        } catch (SdkException e) {
            throw new IOException("S3 did not delete " + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean writable() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
