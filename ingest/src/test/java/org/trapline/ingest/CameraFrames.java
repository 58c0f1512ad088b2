package org.trapline.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Frame;
import org.trapline.testsupport.kafka.TopicReader;
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
        List<Frame> frames = TopicReader.readUntil(new KafkaClientSettings(config).consumer("frames-reader", "frames-reader"),
                        Topics.FRAMES.name(), new StringDeserializer(), Topics.FRAMES.valueSerde(config).deserializer(),
                        r -> camera.equals(r.key()), read -> read.stream().anyMatch(r -> r.value().getFrameId().equals(lastFrameId)),
                        Duration.ofSeconds(30))
                .stream().map(r -> r.value()).toList();
        assertTrue(frames.stream().anyMatch(f -> f.getFrameId().equals(lastFrameId)), "frame " + lastFrameId + " not on the topic");
        return frames;
    }
}
