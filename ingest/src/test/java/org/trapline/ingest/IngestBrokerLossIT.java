package org.trapline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.JpegEncoder;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Frame;
import org.trapline.testsupport.kafka.EmbeddedKafkaCluster;
import org.trapline.localstack.registry.ApicurioRegistryServer;
import org.trapline.topics.Topics;

/**
 * Ingest on three brokers (a separate controller, replication 3, {@code min.insync.replicas=2}, the
 * producer's {@code acks=all}): the broker leading the camera's partition is stopped between two uploads,
 * and every upload ingest acknowledged is on the topic afterwards, once.
 */
class IngestBrokerLossIT {

    static final String KEY = ApiKeys.newKey();

    @Test
    void noAcknowledgedFrameIsLostWhenABrokerStops(@TempDir Path dir) throws Exception {
        String camera = "ridge-cam";
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.withSeparateControllers(3, 1, dir.resolve("kafka"));
             ApicurioRegistryServer registry = ApicurioRegistryServer.start(dir.resolve("registry"))) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "kafka.bootstrap.servers", cluster.bootstrapServers(),
                    "registry.url", registry.url(),
                    "data.dir", dir.resolve("data").toString(),
                    "topics.replication.factor", "3",
                    "ingest.http.port", "0",
                    "ingest.gateway.ridge.key.sha256", ApiKeys.hash(KEY),
                    "ingest.gateway.ridge.cameras", camera));
            TraplineConfig config = TraplineConfig.of(settings);
            try (IngestComponents parts = IngestComponents.create(config, "broker-loss-it")) {
                parts.catalog().putSite(new Site("ridge", "Ridge", null, null, null));
                parts.catalog().putCamera(new Camera(camera, "ridge", null, null, 0));
            }
            int partition = Utils.toPositive(Utils.murmur2(camera.getBytes(StandardCharsets.UTF_8))) % Topics.FRAMES.partitions();

            List<String> acknowledged = new ArrayList<>();
            int failed = 0;
            Random pixels = new Random(5);
            try (IngestService ingest = IngestService.start(config)) {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 40; i++) {
                    if (i == 20) {
                        try (var admin = cluster.admin()) {
                            var description = admin.describeTopics(List.of(Topics.FRAMES.name())).allTopicNames().get()
                                    .get(Topics.FRAMES.name());
                            assertEquals(3, description.partitions().get(partition).replicas().size());
                            cluster.stopBroker(description.partitions().get(partition).leader().id());
                        }
                    }
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + ingest.port() + "/api/frames?camera=" + camera))
                            .header("X-Api-Key", KEY).header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(noise(pixels))).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        acknowledged.add(new ObjectMapper().readTree(response.body()).get("frameId").asText());
                    } else {
                        failed++;  // not acknowledged: the gateway keeps the image and sends it again
                    }
                }
            }
            System.out.printf("broker stopped after 20 uploads: %d acknowledged, %d refused%n", acknowledged.size(), failed);
            assertTrue(acknowledged.size() >= 30, "two in-sync replicas remain, so ingest goes on: " + acknowledged.size());
            List<Frame> frames = CameraFrames.until(config, camera, acknowledged.get(acknowledged.size() - 1));
            List<String> onTopic = frames.stream().map(Frame::getFrameId).toList();
            assertTrue(onTopic.containsAll(acknowledged), "every acknowledged frame is on the topic");
            assertEquals(onTopic.size(), onTopic.stream().distinct().count(), "and once");
        }
    }

    /** A small JPEG of random pixels: every upload different bytes. */
    static byte[] noise(Random random) throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt(0xffffff));
            }
        }
        return JpegEncoder.encode(image);
    }
}
