package org.trapline.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;
import org.trapline.localstack.process.FreePorts;
import org.trapline.localstack.samples.SharedData;

/** The S3 blob store against a real S3-compatible server (s3proxy, in memory), through the AWS SDK. */
class S3BlobStoreIT {

    static S3Proxy proxy;
    static BlobStoreContext backend;
    static S3BlobStore store;

    @BeforeAll
    static void startServer() throws Exception {
        backend = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
                .overrides(new Properties()).build(BlobStoreContext.class);
        backend.getBlobStore().createContainerInLocation(null, "trapline-frames");
        int port = FreePorts.next();
        proxy = S3Proxy.builder().blobStore(backend.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "trapline-access", "trapline-secret")
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        BlobStore configured = BlobStores.fromConfig(TraplineConfig.of(Map.of(
                "blob.store", "s3",
                "blob.s3.bucket", "trapline-frames",
                "blob.s3.endpoint", "http://127.0.0.1:" + port,
                "blob.s3.path.style", "true",
                "blob.s3.access.key", "trapline-access",
                "blob.s3.secret.key", "trapline-secret")));
        store = assertInstanceOf(S3BlobStore.class, configured);
    }

    @AfterAll
    static void stopServer() throws Exception {
        store.close();
        proxy.stop();
        backend.close();
    }

    @Test
    void anImageIsStoredByContentAndReadBack() throws Exception {
        byte[] image = Files.readAllBytes(SharedData.locate().images().resolve("camera-traps/nacti.jpg"));
        String key = BlobKeys.content(BlobKeys.sha256(image));
        assertFalse(store.exists(key));
        store.put(key, image);
        store.put(key, image);  // again: a no-op
        assertTrue(store.exists(key));
        assertArrayEquals(image, store.get(key).orElseThrow());
        assertTrue(store.writable());
        assertFalse(store.get(BlobKeys.content("0".repeat(64))).isPresent());
    }

    @Test
    void unsafeKeysAndAMissingBucketAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> store.put("../escape", new byte[] {1}));
        S3BlobStore nowhere = new S3BlobStore(software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort())).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("trapline-access", "trapline-secret")))
                .build(), "no-such-bucket");
        assertFalse(nowhere.writable(), "readiness says the store cannot be written");
        assertThrows(java.io.IOException.class, () -> nowhere.put(BlobKeys.content("1".repeat(64)), new byte[] {1}));
        nowhere.close();
    }
}
