package org.trapline.detector.export;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.Detection;
import org.trapline.schema.DetectionCategory;
import org.trapline.schema.FrameDetections;
import org.trapline.topics.Topics;

/**
 * The detector's results for a site and period in MegaDetector's batch output format (1.4), so that
 * Timelapse and the other tools built on it read Trapline's results. Each image is listed as
 * {@code <camera>/<file name as it came in>}; categories are MegaDetector's ("1" animal, "3" vehicle);
 * people are never exported, and boxes suppressed as repeat detections are left out, as MegaDetector's
 * own repeat elimination does.
 */
public final class MegaDetectorExport {

    /** Which results: a site, and a capture-time window (either end open). */
    public record Query(String siteId, Instant from, Instant to) {
        boolean matches(FrameDetections d) {
            Instant t = d.getCaptureTime();
            return d.getSiteId().equals(siteId) && (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }
    }

    private static final DateTimeFormatter COMPLETION = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private MegaDetectorExport() {
    }

    /** The export as JSON-ready maps, reading {@code detections} from its start to its current end. */
    public static Map<String, Object> export(TraplineConfig config, Query query, float typicalThreshold) {
        List<FrameDetections> results = read(config, query);
        results.sort(Comparator.comparing(MegaDetectorExport::file));
        List<Map<String, Object>> images = new ArrayList<>();
        String detector = null;
        Instant completed = null;
        for (FrameDetections d : results) {
            detector = d.getModel().getName();
            completed = completed == null || d.getProcessedTime().isAfter(completed) ? d.getProcessedTime() : completed;
            List<Map<String, Object>> detections = new ArrayList<>();
            for (Detection detection : d.getDetections()) {
                if (detection.getCategory() == DetectionCategory.PERSON) {
                    continue;
                }
                Map<String, Object> box = new LinkedHashMap<>();
                box.put("category", category(detection.getCategory()));
                box.put("conf", round(detection.getConfidence(), 3));
                var b = detection.getBbox();
                box.put("bbox", List.of(round(b.getX(), 4), round(b.getY(), 4), round(b.getWidth(), 4), round(b.getHeight(), 4)));
                detections.add(box);
            }
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("file", file(d));
            image.put("detections", detections);
            images.add(image);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("format_version", "1.4");
        if (detector != null) {
            info.put("detector", detector);
            info.put("detection_completion_time", COMPLETION.format(completed));
        }
        info.put("detector_metadata", Map.of("typical_detection_threshold", typicalThreshold,
                "conservative_detection_threshold", round(typicalThreshold / 2, 3)));
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("info", info);
        export.put("detection_categories", Map.of("1", "animal", "2", "person", "3", "vehicle"));
        export.put("images", images);
        return export;
    }

    static String file(FrameDetections d) {
        String name = d.getOriginalFileName() != null ? d.getOriginalFileName() : d.getFrameId() + ".jpg";
        return d.getCameraId() + "/" + name;
    }

    private static String category(DetectionCategory category) {
        return switch (category) {
            case ANIMAL -> "1";
            case PERSON -> "2";
            case VEHICLE -> "3";
        };
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /** The site's results in the window; a frame processed twice (a replay) is listed once, latest result. */
    private static List<FrameDetections> read(TraplineConfig config, Query query) {
        Map<String, FrameDetections> byFrame = new LinkedHashMap<>();
        var settings = new KafkaClientSettings(config).consumer("export-" + UUID.randomUUID(), "megadetector-export");
        try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), Topics.DETECTIONS.valueSerde(config).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DETECTIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && query.matches(r.value())) {
                        byFrame.put(r.value().getFrameId(), r.value());
                    }
                });
            }
        }
        return new ArrayList<>(byFrame.values());
    }
}
