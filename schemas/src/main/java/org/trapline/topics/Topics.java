package org.trapline.topics;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.trapline.schema.CameraSequence;
import org.trapline.schema.Correction;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.schema.SiteCount;

/**
 * Every topic of the pipeline, in the order a frame travels, with its key, value schema, partitions and
 * retention. Services name topics only through this class.
 *
 * <pre>
 * ingest ─frames─► detector ─detections─► identifier ─sightings─► aggregator ─site-counts─►
 *                                          identifier ⇄ individuals (the gallery), review-queue, camera-sequences
 * any service ─dead-letters─► operators
 * </pre>
 */
public final class Topics {

    private static final String WEEK_MS = Long.toString(7L * 24 * 60 * 60 * 1000);
    private static final String FOREVER = "-1";

    /** Frames from ingest, keyed by camera id so that one camera's frames stay in order. */
    public static final Topic<String, Frame> FRAMES = new Topic<>(
            "frames", Serdes.String(), Frame.class, 6,
            Map.of(TopicConfig.RETENTION_MS_CONFIG, WEEK_MS));

    /** The detector's result for every frame, empty ones included; keyed by camera id. */
    public static final Topic<String, FrameDetections> DETECTIONS = new Topic<>(
            "detections", Serdes.String(), FrameDetections.class, 6,
            Map.of(TopicConfig.RETENTION_MS_CONFIG, WEEK_MS));

    /**
     * Sightings of animals, keyed by site id so that one site's counts are made in one place. Kept
     * forever: they are the record of a season that counts are rebuilt from.
     */
    public static final Topic<String, Sighting> SIGHTINGS = new Topic<>(
            "sightings", Serdes.String(), Sighting.class, 6,
            Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER));

    /**
     * The gallery of known individuals, keyed by individual id. Compacted: each update carries the whole
     * state of its individual, so the latest record per key is the gallery, rebuilt from here on start.
     */
    public static final Topic<String, IndividualUpdate> INDIVIDUALS = new Topic<>(
            "individuals", Serdes.String(), IndividualUpdate.class, 3,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "60000"));

    /**
     * Sightings waiting for a person to decide (grey-zone matches), keyed by sighting id. Compacted: a
     * resolved sighting is deleted by a tombstone, so the live keys are the queue, rebuilt on start.
     */
    public static final Topic<String, Sighting> REVIEW_QUEUE = new Topic<>(
            "review-queue", Serdes.String(), Sighting.class, 1,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /** The identifier's open event (burst) per camera, keyed by camera id; compacted, rebuilt on start. */
    public static final Topic<String, CameraSequence> CAMERA_SEQUENCES = new Topic<>(
            "camera-sequences", Serdes.String(), CameraSequence.class, 1,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /**
     * What reviewers decided about frames and sightings ({@link Correction}), keyed by frame id so that one
     * frame's corrections are applied in the order they were made. Kept forever, like {@link #SIGHTINGS}:
     * the counts are rebuilt from the two.
     */
    public static final Topic<String, Correction> CORRECTIONS = new Topic<>(
            "corrections", Serdes.String(), Correction.class, 6,
            Map.of(TopicConfig.RETENTION_MS_CONFIG, FOREVER));

    /** Live counts per site and window, keyed by site id; compacted to the latest count of each key. */
    public static final Topic<String, SiteCount> SITE_COUNTS = new Topic<>(
            "site-counts", Serdes.String(), SiteCount.class, 6,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    /** Records a service could not process, whole, with the reason; keyed by the original topic. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS = new Topic<>(
            "dead-letters", Serdes.String(), DeadLetter.class, 1,
            Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(30L * 24 * 60 * 60 * 1000)));

    public static final List<Topic<String, ?>> ALL =
            List.of(FRAMES, DETECTIONS, SIGHTINGS, INDIVIDUALS, REVIEW_QUEUE, CAMERA_SEQUENCES, CORRECTIONS, SITE_COUNTS,
                    DEAD_LETTERS);

    private Topics() {
    }
}
