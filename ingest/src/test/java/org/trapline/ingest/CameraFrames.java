package org.trapline.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Frame;
import org.trapline.topics.Topics;

/** One camera's frames as they stand on the {@code frames} topic, for integration tests. */
public final class CameraFrames {

    private CameraFrames() {
    }

    /**
     * The camera's frames from the start of the topic until the frame {@code lastFrameId} (30 s at most).
     * A camera's frames share a partition and keep their order, so once the last one is seen, any frame
     * published before it has been seen too, a second copy of one included.
     */
    public static List<Frame> until(TraplineConfig config, String camera, String lastFrameId) {
        List<Frame> frames = new ArrayList<>();
        var settings = new KafkaClientSettings(config).consumer("frames-reader-" + UUID.randomUUID(), "frames-reader");
        try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), Topics.FRAMES.valueSerde(config).deserializer())) {
            consumer.subscribe(List.of(Topics.FRAMES.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (frames.stream().noneMatch(f -> f.getFrameId().equals(lastFrameId)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (camera.equals(r.key())) {
                        frames.add(r.value());
                    }
                });
            }
        }
        assertTrue(frames.stream().anyMatch(f -> f.getFrameId().equals(lastFrameId)), "frame " + lastFrameId + " not on the topic");
        return frames;
    }
}
