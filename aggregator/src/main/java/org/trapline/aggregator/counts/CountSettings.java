package org.trapline.aggregator.counts;

import java.time.Duration;
import java.util.List;

import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;

/**
 * How the aggregator counts.
 *
 * @param independence    detections of a species at a camera closer than this are one independent event
 *                        ({@link #INDEPENDENCE_MINUTES})
 * @param publishInterval how often changed windows are published on {@code site-counts}
 *                        ({@link #PUBLISH_INTERVAL_MS})
 * @param partitions      partitions of the aggregator's internal topics, its unit of parallelism
 *                        ({@link #PARTITIONS})
 * @param galleryTopic    the topic the gallery stage reads, and writes to follow chains of merges
 *                        ({@code <application id>-gallery})
 * @param sessions        capture sessions for population estimates (see {@link CaptureSession})
 * @param demography      seasons and the rules of demography (see {@link DemographySettings})
 */
public record CountSettings(Duration independence, Duration publishInterval, int partitions, String galleryTopic,
                            List<CaptureSession> sessions, DemographySettings demography) {

    public static final String DEFAULT_APPLICATION_ID = "trapline-aggregator";

    public static final Setting<String> APPLICATION_ID = Setting.text("aggregator.application.id", DEFAULT_APPLICATION_ID,
            "Kafka Streams' application id: instances with the same id share the work");
    public static final Setting<Long> INDEPENDENCE_MINUTES = Setting.longInteger("aggregator.independence.minutes", 30,
            "detections of a species at a camera closer than this are one independent event").requiring(v -> v >= 0, "0 or more");
    public static final Setting<Long> PUBLISH_INTERVAL_MS = Setting.longInteger("aggregator.publish.interval.ms", 1000,
            "how often changed windows are published on site-counts").requiring(v -> v >= 1, "1 or more");
    public static final Setting<Integer> PARTITIONS = Setting.integer("aggregator.partitions", 6,
            "partitions of the aggregator's internal topics, its unit of parallelism").requiring(v -> v >= 1, "1 or more");

    public CountSettings {
        if (independence.isNegative() || publishInterval.isZero() || publishInterval.isNegative() || partitions < 1) {
            throw new IllegalArgumentException("aggregator settings out of range: independence " + independence
                    + ", publish interval " + publishInterval + ", partitions " + partitions);
        }
        sessions = List.copyOf(sessions);
    }

    public static String applicationId(TraplineConfig config) {
        return APPLICATION_ID.of(config);
    }

    public static CountSettings fromConfig(TraplineConfig config) {
        return new CountSettings(Duration.ofMinutes(INDEPENDENCE_MINUTES.of(config)),
                Duration.ofMillis(PUBLISH_INTERVAL_MS.of(config)),
                PARTITIONS.of(config), applicationId(config) + "-gallery",
                CaptureSession.fromConfig(config), DemographySettings.fromConfig(config));
    }
}
