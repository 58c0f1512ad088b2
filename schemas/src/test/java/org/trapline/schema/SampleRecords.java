package org.trapline.schema;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One plausible record of every schema, with every optional part filled in, so that a round trip that
 * loses a field fails. Other modules' tests use them through this module's test-jar.
 */
public final class SampleRecords {

    public static final Instant CAPTURED = Instant.parse("2026-03-14T05:42:17.250Z");

    private SampleRecords() {
    }

    public static BlobRef blob(String sha256) {
        return new BlobRef("fs", "sha256/" + sha256.substring(0, 2) + "/" + sha256, 183_204L);
    }

    public static Frame frame(String cameraId) {
        String sha = "9f2c" + UUID.randomUUID().toString().replace("-", "") + "0123456789abcdef0123456789ab";
        return Frame.newBuilder()
                .setFrameId(UUID.randomUUID().toString())
                .setContentSha256(sha)
                .setSiteId("kruger-north")
                .setCameraId(cameraId)
                .setDeploymentId("kn-cam07-2026a")
                .setCaptureTime(CAPTURED)
                .setCaptureTimeSource(CaptureTimeSource.EXIF)
                .setReceivedTime(CAPTURED.plusSeconds(3600))
                .setMediaType("image/jpeg")
                .setWidth(2048)
                .setHeight(1536)
                .setSource(FrameSourceKind.VIDEO_FRAME)
                .setVideo(new VideoFrameSource("clip-0042", 17, 566L))
                .setBlob(blob(sha))
                .setOriginalFileName("IMG_0042.JPG")
                .setCameraMake("Reconyx")
                .setCameraModel("HyperFire 2")
                .setLatitude(-22.9481)
                .setLongitude(31.3920)
                .build();
    }

    public static FrameDetections detections(Frame frame) {
        return FrameDetections.newBuilder()
                .setFrameId(frame.getFrameId())
                .setSiteId(frame.getSiteId())
                .setCameraId(frame.getCameraId())
                .setDeploymentId(frame.getDeploymentId())
                .setCaptureTime(frame.getCaptureTime())
                .setBlob(frame.getBlob())
                .setWidth(frame.getWidth())
                .setHeight(frame.getHeight())
                .setModel(new ModelInfo("yolox-nano-coco", "1"))
                .setDetections(List.of(
                        new Detection(DetectionCategory.ANIMAL, "zebra", 0.91f, new BoundingBox(0.12f, 0.30f, 0.25f, 0.40f)),
                        new Detection(DetectionCategory.VEHICLE, "truck", 0.34f, new BoundingBox(0.70f, 0.55f, 0.28f, 0.30f))))
                .setEmpty(false)
                .setRedacted(true)
                .setProcessedTime(CAPTURED.plusSeconds(3605))
                .setClassifications(List.of(SpeciesClassification.newBuilder()
                        .setDetection(0)
                        .setKind(ClassificationKind.ANIMAL)
                        .setLabel("horses, zebras and asses")
                        .setScientificName("Equus")
                        .setRank(TaxonRank.GENUS)
                        .setScore(0.83f)
                        .setSource("classifier+rollup_to_genus")
                        .setTop5(List.of(new ClassScore("zebra", "Equus", 0.71f), new ClassScore("sorrel", "Equus caballus", 0.12f)))
                        .setClassifier(new ModelInfo("mobilenetv2-12-int8", "1"))
                        .setFlags(List.of("EVENT_RELABELLED"))
                        .setTaxonomy("mammalia;perissodactyla;equidae;equus;")
                        .build()))
                .build();
    }

    public static Sighting sighting(FrameDetections detections) {
        Detection first = detections.getDetections().get(0);
        return Sighting.newBuilder()
                .setSightingId(UUID.randomUUID().toString())
                .setSiteId(detections.getSiteId())
                .setCameraId(detections.getCameraId())
                .setDeploymentId(detections.getDeploymentId())
                .setTime(detections.getCaptureTime())
                .setSpeciesLabel("plains zebra")
                .setScientificName("Equus quagga")
                .setIndividualId("zebra-0007")
                .setDecision(MatchDecision.REVIEW)
                .setMatchScore(0.62f)
                .setCandidates(List.of(new MatchCandidate("zebra-0007", 0.62f, "local-features"),
                        new MatchCandidate("zebra-0012", 0.48f, "embedding")))
                .setEventId("kn-cam07-event-20260314-0542")
                .setDetection(new DetectionRef(detections.getFrameId(), 0, first.getCategory(), first.getConfidence(),
                        first.getBbox(), detections.getBlob()))
                .build();
    }

    public static IndividualUpdate individual(Sighting sighting) {
        return IndividualUpdate.newBuilder()
                .setIndividualId(sighting.getIndividualId())
                .setChange(IndividualChange.MERGED)
                .setStatus(IndividualStatus.CONFIRMED)
                .setTime(CAPTURED.plusSeconds(86_400))
                .setSpecies("Equus quagga")
                .setName("Stripes")
                .setSiteIds(List.of(sighting.getSiteId()))
                .setMergedFrom(List.of("zebra-0031"))
                .setSightingIds(List.of(sighting.getSightingId()))
                .setReferences(List.of(new ReferenceCrop(sighting.getSightingId(), sighting.getDetection().getFrameId(),
                        sighting.getDetection().getBlob(), sighting.getDetection().getBbox(), "embedding",
                        List.of(0.12f, -0.5f, 0.33f))))
                .setActor("reviewer:amara")
                .setNote("same scar on the left flank")
                .setSightingTimes(Map.of(sighting.getSightingId(), sighting.getTime()))
                .setFirstSeen(sighting.getTime())
                .setLastSeen(sighting.getTime())
                .build();
    }

    /** A reviewer renaming the sighting's species. */
    public static Correction correction(Sighting sighting) {
        return Correction.newBuilder()
                .setCorrectionId("6f1c2a7e-5b0d-4d8e-9a55-0c3f7d1e2b44")
                .setFrameId(sighting.getDetection().getFrameId())
                .setSiteId(sighting.getSiteId())
                .setCameraId(sighting.getCameraId())
                .setDeploymentId(sighting.getDeploymentId())
                .setCaptureTime(sighting.getTime())
                .setSightingId(sighting.getSightingId())
                .setKind(CorrectionKind.SPECIES)
                .setScientificName("Leopardus pardalis")
                .setCommonName("ocelot")
                .setReviewer("amara")
                .setDecidedAt(CAPTURED.plusSeconds(3_600))
                .setReason("rosettes, not a house cat's stripes")
                .build();
    }

    public static SiteCount siteCount(String siteId) {
        return SiteCount.newBuilder()
                .setSiteId(siteId)
                .setWindowKind(CountWindow.DAY)
                .setWindowStart(Instant.parse("2026-03-14T00:00:00Z"))
                .setWindowEnd(Instant.parse("2026-03-15T00:00:00Z"))
                .setSightings(42)
                .setIndependentEvents(17)
                .setDistinctIndividuals(9)
                .setAnimals(33)
                .setTrapNights(112.5)
                .setSpecies(List.of(new SpeciesCount("plains zebra", 30L, 11L, 7, 19L), new SpeciesCount("impala", 12L, 6L, 2, 14L)))
                .setEstimates(List.of(new PopulationEstimate("plains zebra", "chapman", 13.0, 4.5, 8.8, 17.2)))
                .setUpdatedTime(CAPTURED)
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setOriginalTopic("frames")
                .setOriginalPartition(3)
                .setOriginalOffset(1234L)
                .setOriginalTimestamp(CAPTURED)
                .setKey(ByteBuffer.wrap("cam-07".getBytes()))
                .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}))
                .setHeaders(Map.of("traceparent", ByteBuffer.wrap("00-abc-def-01".getBytes())))
                .setErrorClass("org.apache.avro.AvroRuntimeException")
                .setReason("Malformed data. Length is negative: -62")
                .setService("detector")
                .setTime(CAPTURED)
                .build();
    }
}
