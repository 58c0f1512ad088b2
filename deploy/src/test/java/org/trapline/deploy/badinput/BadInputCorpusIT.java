package org.trapline.deploy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.blob.BlobStores;
import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.DetectorService;
import org.trapline.aggregator.AggregatorService;
import org.trapline.identifier.IdentifierService;
import org.trapline.ingest.IngestService;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.frames.Rejection;
import org.trapline.schema.BlobRef;
import org.trapline.schema.DeadLetter;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;
import org.trapline.schema.SampleRecords;
import org.trapline.schema.Sighting;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.Topics;

/**
 * The bad-input corpus: every kind of bad input Trapline is known to meet, sent through the real services
 * (ingest, detector, identifier, in-process) against the real broker and schema registry. Each case must
 * be refused at the door with its precise HTTP 4xx and reason, with nothing of it stored or published, or
 * land on {@code dead-letters} once, whole, with the service, its original topic, partition and offset and a
 * reason that says what was wrong; and a good record sent after the bad ones must still go all the way
 * (frame, detections, sighting), so nothing is lost and no consumer loop stops.
 *
 * <p>The corpus is built at test time from the shared sample images (damaged here, the way cards, gateways
 * and buggy producers damage them), from two tiny fixture files under {@code bad-input/} (a text note and a
 * PDF, the non-images a gateway sends by mistake), and from clips recorded here with FFmpeg. Every case is
 * a row of a table (case, expected, observed) printed to the test output; the test passes only when every
 * row behaved.
 *
 * <p>The aggregator (Kafka Streams) is in the run too: poison on {@code sightings} and {@code individuals}
 * must land on {@code dead-letters} from it, in the same exactly-once transaction as its own output, and it
 * must still count every good sighting of the site.
 */
@ExtendWith(TestStackExtension.class)
class BadInputCorpusIT {

    static final long MAX_IMAGE_BYTES = 300_000;
    static final Duration WAIT = Duration.ofSeconds(90);
    /** The wire format's magic byte, then schema id 2130711092, which the registry never gave out. */
    static final byte[] UNKNOWN_SCHEMA_ID = {0, 0x7f, 0x00, 0x12, 0x34, 2, 4, 6, 8};
    /** JSON where Avro belongs: what a producer without the serde sends. */
    static final byte[] JSON_VALUE = "{\"frameId\": \"json is not avro\"}".getBytes(StandardCharsets.UTF_8);
    static final ObjectMapper JSON = new ObjectMapper();
    /** What a refusal must not show a person: a Java object identity, a library's function or error code. */
    static final java.util.regex.Pattern INTERNALS = java.util.regex.Pattern.compile(
            "@[0-9a-f]{4,}|\\b(av|avformat|avcodec|avio|sws)_\\w+|\\w+\\(\\)|java\\.|error -\\d");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String camera = "bad-cam-" + run;
    final String otherCamera = "bad-other-" + run;
    /** Named by the gateway's key, unknown to the catalog. */
    final String ghostCamera = "bad-ghost-" + run;
    final String site = "bad-site-" + run;
    /** The key of the poison on 'individuals' (the gallery is keyed by individual id). */
    final String individualKey = "bad-individual-" + run;
    final String northKey = ApiKeys.newKey();
    final String southKey = ApiKeys.newKey();
    final HttpClient http = HttpClient.newHttpClient();
    final List<Row> rows = new ArrayList<>();
    /** SHA-256 of every refused upload: none may be stored or published. */
    final Set<String> refused = new HashSet<>();
    final List<Poison> poisons = new ArrayList<>();

    TraplineConfig config;
    KafkaClientSettings clients;
    KafkaProducer<byte[], byte[]> producer;
    BlobStore blobs;
    SharedData shared;
    String ingestBase;

    @Test
    void everyBadInputGetsItsPreciseErrorOrDeadLetterAndNothingIsLost(TestStack stack, @TempDir Path dataDir) throws Exception {
        long started = System.nanoTime();
        shared = SharedData.locate();
        Path catalog = dataDir.resolve("catalog.json");
        Files.writeString(catalog, """
                {"sites": [{"id": "%s", "name": "Bad-input corpus", "timeZone": "UTC"}],
                 "cameras": [{"id": "%s", "siteId": "%s"}, {"id": "%s", "siteId": "%s"}]}
                """.formatted(site, camera, site, otherCamera, site));
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "models.dir", shared.models().toString(),
                "ingest.http.port", "0",
                "ingest.catalog.file", catalog.toString(),
                "ingest.max.image.bytes", Long.toString(MAX_IMAGE_BYTES),
                "ingest.gateway.north.key.sha256", ApiKeys.hash(northKey),
                "ingest.gateway.north.cameras", camera + ", " + ghostCamera,
                "ingest.gateway.south.key.sha256", ApiKeys.hash(southKey),
                "ingest.gateway.south.cameras", otherCamera));
        settings.putAll(Map.of(
                "detector.http.port", "0",
                "detector.instance.id", "bad-" + run,
                "identifier.http.port", "0",
                "identifier.instance.id", "bad-" + run,
                "aggregator.http.port", "0"));
        config = TraplineConfig.of(settings);
        clients = new KafkaClientSettings(config);
        blobs = BlobStores.fromConfig(config);

        try (IngestService ingest = IngestService.start(config);
             DetectorService detector = DetectorService.start(config);
             IdentifierService identifier = IdentifierService.start(config);
             AggregatorService aggregator = AggregatorService.start(config)) {
            ingestBase = "http://127.0.0.1:" + ingest.port();
            String detectorHealth = "http://127.0.0.1:" + detector.port() + "/health";
            BooleanSupplier running = () -> identifier.alive() && status(detectorHealth) == 200;
            System.out.printf("services up after %.1f s%n", seconds(started));

            uploadsAtTheDoor(dataDir, ingest);
            System.out.printf("uploads answered after %.1f s%n", seconds(started));
            try (var poisoner = new KafkaProducer<>(clients.producer("bad-input-" + run, null), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer = poisoner;
                poisonOnFrames();
                poisonOnDetections();
                poisonOnTheAggregatorsTopics();
            }
            System.out.printf("poison sent after %.1f s%n", seconds(started));

            // a good image after all of it goes the whole way: frame, detections, sighting
            HttpResponse<String> good = upload("/api/frames", camera, sample("animals/dog-cat.jpg"), northKey, null);
            Row accepted = row("good", "a good image after the bad ones (ingest)", "201, its frame on 'frames'");
            String goodFrame = good.statusCode() == 201 ? JSON.readTree(good.body()).get("frameId").asText() : null;
            accepted.observe(good.statusCode() + (goodFrame == null ? " " + good.body() : " frame " + goodFrame),
                    goodFrame != null);

            Row detected = row("good", "a good frame after the poison on 'frames' (detector)", "its detections published");
            Optional<FrameDetections> detections = goodFrame == null ? Optional.empty()
                    : awaitValue(Topics.DETECTIONS.name(), Topics.DETECTIONS.valueSerde(config).deserializer(),
                    d -> d.getFrameId().equals(goodFrame), running);
            detected.observe(detections.map(d -> d.getDetections().size() + " detections ("
                    + d.getDetections().stream().map(x -> x.getLabel()).toList() + ")").orElse("none within " + WAIT
                    + (running.getAsBoolean() ? "" : "; a service loop has STOPPED")), detections.isPresent());

            Row sighted = row("good", "a good detection after the poison on 'detections' (identifier)", "its sightings published");
            Optional<Sighting> sighting = detections.isEmpty() ? Optional.empty()
                    : awaitValue(Topics.SIGHTINGS.name(), Topics.SIGHTINGS.valueSerde(config).deserializer(),
                    s -> s.getDetection().getFrameId().equals(goodFrame), running);
            sighted.observe(sighting.map(s -> "sighting " + s.getSightingId() + " (" + s.getSpeciesLabel() + ", "
                    + s.getDecision() + ")").orElse("none within " + WAIT
                    + (running.getAsBoolean() ? "" : "; a service loop has STOPPED")), sighting.isPresent());

            Row counted = row("good", "the site's good sightings after the poison on 'sightings' and 'individuals' (aggregator)",
                    "each counted once");
            String counts = "http://127.0.0.1:" + aggregator.port() + "/api/sites/" + site;
            long published = sighting.isEmpty() ? -1 : sightingsOf(site);
            long seen = awaitCount(counts, published);
            counted.observe(seen + " counted of " + published + " on 'sightings'", published > 0 && seen == published);

            System.out.printf("good record through after %.1f s%n", seconds(started));
            checkDeadLetters();
            checkNothingRefusedWasPublished();
            Row alive = row("good", "services after the corpus", "ingest ready, detector and identifier loops running");
            int ready = status(ingestBase + "/ready");
            alive.observe("ingest /ready " + ready + ", detector /health " + status(detectorHealth) + ", identifier loop "
                    + (identifier.alive() ? "alive" : "STOPPED"), ready == 200 && running.getAsBoolean());
        } finally {
            print(seconds(started));
        }
        List<Row> failed = rows.stream().filter(r -> !r.behaved).toList();
        assertTrue(failed.isEmpty(), failed.size() + " of " + rows.size() + " rows misbehaved: " + failed);
        assertTrue(rows.stream().filter(r -> r.kind.equals("bad")).count() >= 44, "the corpus shrank: " + rows.size());
    }

    // ---- at the door: ingest's HTTP API ----

    void uploadsAtTheDoor(Path dataDir, IngestService ingest) throws Exception {
        byte[] dogCat = sample("animals/dog-cat.jpg");
        byte[] idaho = sample("camera-traps/idaho-camera-traps.jpg");

        byte[] corrupt = flipEntropyCodedBytes(sample("camera-traps/nacti.jpg"));
        refuse("corrupt JPEG (entropy-coded data flipped)", "/api/frames", camera, corrupt, northKey, null,
                422, "corrupt image/jpeg");
        byte[] pheasant = sample("camera-traps/pheasant_web.jpg");
        refuse("truncated JPEG (cut at 60%)", "/api/frames", camera, Arrays.copyOf(pheasant, pheasant.length * 3 / 5),
                northKey, null, 422, "truncated JPEG: no end-of-image marker");
        byte[] fox = sample("animals/fox.png");
        refuse("truncated PNG (cut in half)", "/api/frames", camera, Arrays.copyOf(fox, fox.length / 2), northKey, null,
                422, "corrupt image/png");
        refuse("non-image: a text note", "/api/frames", camera, fixture("card-notes.txt"), northKey, null,
                415, "not an image Trapline reads (JPEG or PNG): unknown type, starting 0x43616d657261");
        refuse("non-image: a PDF", "/api/frames", camera, fixture("camera-report.pdf"), northKey, null,
                415, "not an image Trapline reads (JPEG or PNG): unknown type, starting 0x255044462d");
        byte[] oversize = sample("camera-traps/sample-ufldwec-01.jpg");
        assertTrue(oversize.length > MAX_IMAGE_BYTES, "the oversize sample is over the test's limit");
        refuse("oversize image (" + oversize.length + " bytes, limit " + MAX_IMAGE_BYTES + ")", "/api/frames", camera,
                oversize, northKey, null, 413, "exceeds the limit of " + MAX_IMAGE_BYTES + " bytes (ingest.max.image.bytes)");
        Row imported = row("bad", "oversize image through the SD-card import path (FrameIngestor)",
                "413 \"exceeds the limit of " + MAX_IMAGE_BYTES + " bytes (ingest.max.image.bytes)\"; nothing stored");
        refused.add(BlobKeys.sha256(oversize));
        try {
            ingest.parts().frames().ingest(FrameIngestor.Upload.image(camera, null, oversize, "IMG_0001.JPG", Optional.empty()));
            imported.observe("TAKEN", false);
        } catch (Rejection e) {
            boolean stored = blobs.exists(BlobKeys.content(BlobKeys.sha256(oversize)));
            imported.observe(e.kind().status + " \"" + e.getMessage() + "\"" + (stored ? "; STORED" : "; nothing stored"),
                    e.kind() == Rejection.Kind.TOO_LARGE && !stored && e.getMessage().contains("exceeds the limit of "
                            + MAX_IMAGE_BYTES + " bytes (ingest.max.image.bytes)"));
        }
        refuse("empty body", "/api/frames", camera, new byte[0], northKey, null, 400, "empty upload");
        refuse("unreadable captureTime", "/api/frames", camera, withComment(dogCat, "bad time"), northKey,
                "yesterday%20at%20dawn", 400, "not an ISO-8601 instant");

        byte[] brokenExif = withBrokenExif(idaho);
        refuse("broken EXIF (APP1 byte order destroyed), no gateway time", "/api/frames", camera, brokenExif, northKey,
                null, 422, "broken EXIF (");
        byte[] brokenExifToo = withComment(brokenExif, "same broken EXIF, sent with the gateway's time");
        HttpResponse<String> withTime = upload("/api/frames", camera, brokenExifToo, northKey, "2026-03-14T05:42:17Z");
        Row exifRow = row("bad", "broken EXIF with the gateway's captureTime",
                "201, capture time GATEWAY 2026-03-14T05:42:17Z, warning 'broken EXIF'");
        JsonNode answer = withTime.statusCode() == 201 ? JSON.readTree(withTime.body()) : null;
        exifRow.observe(answer == null ? withTime.statusCode() + " " + withTime.body()
                        : withTime.statusCode() + ", " + answer.get("captureTimeSource").asText() + " "
                        + answer.get("captureTime").asText() + ", warnings " + answer.get("warnings"),
                answer != null && answer.get("captureTimeSource").asText().equals("GATEWAY")
                        && answer.get("captureTime").asText().equals("2026-03-14T05:42:17Z")
                        && answer.get("warnings").toString().contains("broken EXIF"));

        refuse("unknown camera (the key names it, the catalog does not)", "/api/frames", ghostCamera, idaho, northKey,
                null, 422, "unknown camera '" + ghostCamera + "': register it in the site catalog first");
        refuse("no API key", "/api/frames", camera, idaho, null, null, 401, "no API key");
        refuse("bad API key", "/api/frames", camera, idaho, "tl_not-a-key-" + run, null, 401, "unknown API key");
        refuse("a gateway key for a camera it does not own", "/api/frames", otherCamera, idaho, northKey, null,
                403, "key 'north' may not upload for camera '" + otherCamera + "'");
        refuse("a gateway key for a camera it does not own (clip)", "/api/clips", otherCamera, idaho, northKey, null,
                403, "key 'north' may not upload for camera '" + otherCamera + "'");

        byte[] clip = mp4(dataDir, false);
        assertTrue(indexOf(clip, "moov") > clip.length / 2, "FFmpeg's MP4 keeps its index (moov) at the end");
        refuse("truncated MP4 (cut in half: its index at the end is lost)", "/api/clips", camera,
                Arrays.copyOf(clip, clip.length / 2), northKey, null, 422,
                "video cannot be opened: the clip is truncated, or is not a video MP4, MOV or AVI can hold");
        byte[] fastStart = mp4(dataDir, true);
        assertTrue(indexOf(fastStart, "moov") < indexOf(fastStart, "mdat"), "a fast-start MP4 has its index first");
        refuse("truncated MP4 with its index first (pictures cut at 40%)", "/api/clips", camera,
                Arrays.copyOf(fastStart, fastStart.length * 2 / 5), northKey, null, 422, "truncated video: pictures stop at");
        refuse("a JPEG sent as a clip", "/api/clips", camera, idaho, northKey, null, 415, "not a video Trapline reads");
    }

    void refuse(String name, String path, String cameraId, byte[] body, String key, String captureTime,
                int status, String reasonPart) throws Exception {
        String sha = BlobKeys.sha256(body);
        refused.add(sha);
        Row row = row("bad", name, status + " \"" + reasonPart + "\"; nothing stored");
        HttpResponse<String> response = upload(path, cameraId, body, key, captureTime);
        String reason;
        try {
            reason = JSON.readTree(response.body()).get("error").asText();
        } catch (RuntimeException | IOException e) {
            reason = "(no JSON error: " + response.body() + ")";
        }
        boolean stored = blobs.exists(BlobKeys.content(sha));
        boolean internals = INTERNALS.matcher(reason).find();
        row.observe(response.statusCode() + " \"" + reason + "\"" + (stored ? "; its bytes were STORED" : "; nothing stored")
                        + (internals ? "; the reason shows INTERNALS" : ""),
                response.statusCode() == status && reason.contains(reasonPart) && !stored && !internals);
    }

    void checkNothingRefusedWasPublished() {
        Row row = row("good", "refused uploads on 'frames'", "none of the " + refused.size() + " distinct refused uploads published");
        Deserializer<Frame> frames = Topics.FRAMES.valueSerde(config).deserializer();
        List<String> published = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readToEnd(Topics.FRAMES.name())) {
            decode(frames, record).filter(f -> f.getCameraId().equals(camera) && refused.contains(f.getContentSha256()))
                    .ifPresent(f -> published.add(f.getOriginalFileName() + " " + f.getContentSha256()));
        }
        row.observe(published.isEmpty() ? "none published" : "PUBLISHED: " + published, published.isEmpty());
    }

    // ---- poison on the topics the services consume ----

    /** A record sent straight to a topic, the services that read the topic and cannot read it, and what their dead letters must say. */
    record Poison(Row row, List<String> services, String topic, RecordMetadata sent, byte[] value, String reasonPart) {
    }

    void poisonOnFrames() throws Exception {
        String topic = Topics.FRAMES.name();
        byte[] frame = Topics.FRAMES.valueSerde(config).serializer().serialize(topic, SampleRecords.frame(camera));
        byte[] garbage = ("not a picture, " + run).getBytes(StandardCharsets.UTF_8);
        String garbageKey = BlobKeys.content(BlobKeys.sha256(garbage));
        blobs.put(garbageKey, garbage);
        Frame missing = SampleRecords.frame(camera);
        Frame notAPicture = Frame.newBuilder(SampleRecords.frame(camera))
                .setBlob(new BlobRef("fs", garbageKey, (long) garbage.length)).build();
        Frame outside = Frame.newBuilder(SampleRecords.frame(camera))
                .setBlob(new BlobRef("fs", "../../outside/secret.jpg", 10L)).build();
        Frame oddId = Frame.newBuilder(SampleRecords.frame(camera)).setFrameId("../../frame").build();
        byte[] sighting = Topics.SIGHTINGS.valueSerde(config).serializer().serialize(Topics.SIGHTINGS.name(),
                SampleRecords.sighting(SampleRecords.detections(SampleRecords.frame(camera))));

        String service = DetectorService.SERVICE;
        poison(service, topic, "JSON, not the registry wire format", JSON_VALUE,
                "value on 'frames' is not in the schema registry wire format: " + JSON_VALUE.length + " bytes starting 0x7b226672");
        poison(service, topic, "unknown schema id (magic byte 0, id 2130711092)", UNKNOWN_SCHEMA_ID,
                "schema id 2130711092 of a value on 'frames' cannot be fetched from the registry: HTTP 404");
        poison(service, topic, "Avro body truncated (a Frame cut in half)", Arrays.copyOf(frame, 5 + (frame.length - 5) / 2),
                "value on 'frames' does not decode with its writer schema (id ");
        poison(service, topic, "well-formed Avro of another schema (a Sighting)", sighting,
                "value on 'frames' is a org.trapline.schema.Sighting (schema id " + schemaId(sighting)
                        + "), not a org.trapline.schema.Frame");
        poison(service, topic, "tombstone (null value)", null, "empty value (tombstone) where a record was expected");
        poison(service, topic, "a Frame whose image is not in the blob store", encode(Topics.FRAMES.name(), missing),
                "image fs:" + missing.getBlob().getUri() + " of frame " + missing.getFrameId() + " is not in the blob store");
        poison(service, topic, "a Frame whose image is not a picture", encode(Topics.FRAMES.name(), notAPicture),
                "image of frame " + notAPicture.getFrameId() + " cannot be decoded");
        poison(service, topic, "a Frame whose blob key leads outside the store", encode(Topics.FRAMES.name(), outside),
                "frame " + outside.getFrameId() + " names a blob key the store refuses: unsafe blob key '../../outside/secret.jpg'");
        poison(service, topic, "a Frame whose id cannot name a blob", encode(Topics.FRAMES.name(), oddId),
                "frame ../../frame names a blob key the store refuses: unsafe blob key 'detections/../../frame'");
    }

    void poisonOnDetections() throws Exception {
        String topic = Topics.DETECTIONS.name();
        byte[] detections = Topics.DETECTIONS.valueSerde(config).serializer().serialize(topic,
                SampleRecords.detections(SampleRecords.frame(camera)));
        byte[] garbage = ("not a picture either, " + run).getBytes(StandardCharsets.UTF_8);
        String garbageKey = BlobKeys.content(BlobKeys.sha256(garbage));
        blobs.put(garbageKey, garbage);
        FrameDetections missing = FrameDetections.newBuilder(SampleRecords.detections(SampleRecords.frame(camera)))
                .setRedacted(false).build();
        FrameDetections notAPicture = FrameDetections.newBuilder(missing).setFrameId(UUID.randomUUID().toString())
                .setBlob(new BlobRef("fs", garbageKey, (long) garbage.length)).build();
        FrameDetections outside = FrameDetections.newBuilder(missing).setFrameId(UUID.randomUUID().toString())
                .setBlob(new BlobRef("fs", "../../outside/secret.jpg", 10L)).build();
        byte[] frame = Topics.FRAMES.valueSerde(config).serializer().serialize(Topics.FRAMES.name(), SampleRecords.frame(camera));

        String service = IdentifierService.SERVICE;
        // the aggregator reads 'detections' too (the reviewers' frames): what no one can decode is a dead letter of each
        List<String> readers = List.of(IdentifierService.SERVICE, AggregatorService.SERVICE);
        poison(readers, topic, camera, "JSON, not the registry wire format", JSON_VALUE,
                "value on 'detections' is not in the schema registry wire format: " + JSON_VALUE.length + " bytes starting 0x7b226672");
        poison(readers, topic, camera, "unknown schema id (magic byte 0, id 2130711092)", UNKNOWN_SCHEMA_ID,
                "schema id 2130711092 of a value on 'detections' cannot be fetched from the registry: HTTP 404");
        poison(readers, topic, camera, "Avro body truncated (FrameDetections cut in half)",
                Arrays.copyOf(detections, 5 + (detections.length - 5) / 2),
                "value on 'detections' does not decode with its writer schema (id ");
        poison(readers, topic, camera, "well-formed Avro of another schema (a Frame)", frame,
                "value on 'detections' is a org.trapline.schema.Frame (schema id " + schemaId(frame)
                        + "), not a org.trapline.schema.FrameDetections");
        poison(service, topic, "tombstone (null value)", null, "empty value (tombstone) where a record was expected");
        poison(service, topic, "detections whose image is not in the blob store", encode(topic, missing),
                "image fs:" + missing.getBlob().getUri() + " is not in the blob store");
        poison(service, topic, "detections whose image is not a picture", encode(topic, notAPicture),
                "image " + garbageKey + " is not a picture ImageIO can read");
        poison(service, topic, "detections whose blob key leads outside the store", encode(topic, outside),
                "image fs:../../outside/secret.jpg names a blob key the store refuses: unsafe blob key '../../outside/secret.jpg'");
    }

    void poisonOnTheAggregatorsTopics() throws Exception {
        Sighting good = SampleRecords.sighting(SampleRecords.detections(SampleRecords.frame(camera)));
        byte[] sighting = Topics.SIGHTINGS.valueSerde(config).serializer().serialize(Topics.SIGHTINGS.name(), good);
        byte[] individual = Topics.INDIVIDUALS.valueSerde(config).serializer().serialize(Topics.INDIVIDUALS.name(),
                SampleRecords.individual(good));
        byte[] frame = Topics.FRAMES.valueSerde(config).serializer().serialize(Topics.FRAMES.name(), SampleRecords.frame(camera));

        String service = AggregatorService.SERVICE;
        String topic = Topics.SIGHTINGS.name();
        poison(service, topic, site, "JSON, not the registry wire format", JSON_VALUE,
                "value on 'sightings' is not in the schema registry wire format: " + JSON_VALUE.length + " bytes starting 0x7b226672");
        poison(service, topic, site, "unknown schema id (magic byte 0, id 2130711092)", UNKNOWN_SCHEMA_ID,
                "schema id 2130711092 of a value on 'sightings' cannot be fetched from the registry: HTTP 404");
        poison(service, topic, site, "Avro body truncated (a Sighting cut in half)",
                Arrays.copyOf(sighting, 5 + (sighting.length - 5) / 2), "value on 'sightings' does not decode with its writer schema (id ");
        poison(service, topic, site, "well-formed Avro of another schema (a Frame)", frame,
                "value on 'sightings' is a org.trapline.schema.Frame (schema id " + schemaId(frame)
                        + "), not a org.trapline.schema.Sighting");

        topic = Topics.INDIVIDUALS.name();
        poison(service, topic, individualKey, "JSON, not the registry wire format", JSON_VALUE,
                "value on 'individuals' is not in the schema registry wire format: " + JSON_VALUE.length + " bytes starting 0x7b226672");
        poison(service, topic, individualKey, "unknown schema id (magic byte 0, id 2130711092)", UNKNOWN_SCHEMA_ID,
                "schema id 2130711092 of a value on 'individuals' cannot be fetched from the registry: HTTP 404");
        poison(service, topic, individualKey, "Avro body truncated (an IndividualUpdate cut in half)",
                Arrays.copyOf(individual, 5 + (individual.length - 5) / 2),
                "value on 'individuals' does not decode with its writer schema (id ");
        poison(service, topic, individualKey, "well-formed Avro of another schema (a Sighting)", sighting,
                "value on 'individuals' is a org.trapline.schema.Sighting (schema id " + schemaId(sighting)
                        + "), not a org.trapline.schema.IndividualUpdate");
    }

    /** How many sightings of the site are on 'sightings' now. */
    long sightingsOf(String siteId) {
        Deserializer<Sighting> sightings = Topics.SIGHTINGS.valueSerde(config).deserializer();
        return readToEnd(Topics.SIGHTINGS.name()).stream()
                .filter(r -> r.key() != null && siteId.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> decode(sightings, r)).filter(Optional::isPresent).count();
    }

    /** The aggregator's all-time sighting count of the site once it reaches {@code expected}, or what it is at the deadline. */
    long awaitCount(String url, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = -1;
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                seen = JSON.readTree(response.body()).get("sightings").asLong();
            }
            if (seen >= expected || System.nanoTime() > deadline || !pause()) {
                return seen;
            }
        }
    }

    /** Half a second between two looks at a condition whose deadline the caller keeps; always true, to chain in a loop's test. */
    static boolean pause() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }

    /** The schema id a value in the wire format names. */
    static int schemaId(byte[] value) {
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    byte[] encode(String topic, Frame frame) {
        return Topics.FRAMES.valueSerde(config).serializer().serialize(topic, frame);
    }

    byte[] encode(String topic, FrameDetections detections) {
        return Topics.DETECTIONS.valueSerde(config).serializer().serialize(topic, detections);
    }

    /** Sends one bad record, keyed by the camera (so on the partition the good record takes after it). */
    void poison(String service, String topic, String name, byte[] value, String reasonPart) throws Exception {
        poison(service, topic, camera, name, value, reasonPart);
    }

    /** Sends one bad record with its key: the topic's own key, so that it lies before the good records that follow it. */
    void poison(String service, String topic, String key, String name, byte[] value, String reasonPart) throws Exception {
        poison(List.of(service), topic, key, name, value, reasonPart);
    }

    /** Sends one bad record that each of {@code services} reads and must dead-letter once. */
    void poison(List<String> services, String topic, String key, String name, byte[] value, String reasonPart) throws Exception {
        Row row = row("bad", String.join(" and ", services) + " ← '" + topic + "': " + name, (services.size() > 1 ? "a dead letter of each: \""
                : "dead letter: \"") + reasonPart + "…\"");
        var record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
        record.headers().add("origin", "bad-input-corpus".getBytes(StandardCharsets.UTF_8));
        poisons.add(new Poison(row, services, topic, producer.send(record).get(), value, reasonPart));
    }

    /**
     * Every poison record has exactly one dead letter from each service that reads it and cannot, whole and with its
     * reason; no other record of the camera,
     * the site or the poisoned individual has one. Waits (to a deadline) until there are as many as poison records:
     * a service's dead letters are committed with the poll that met them, which may still be under way.
     */
    void checkDeadLetters() throws InterruptedException {
        Deserializer<DeadLetter> letters = Topics.DEAD_LETTERS.valueSerde(config).deserializer();
        Set<String> keys = Set.of(camera, site, individualKey);
        List<DeadLetter> mine = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            mine.clear();
            for (ConsumerRecord<byte[], byte[]> record : readToEnd(Topics.DEAD_LETTERS.name())) {
                decode(letters, record).filter(l -> l.getKey() != null && keys.contains(text(l.getKey()))).ifPresent(mine::add);
            }
        } while (mine.size() < poisons.stream().mapToInt(p -> p.services().size()).sum() && System.nanoTime() < deadline && pause());
        Set<DeadLetter> matched = new HashSet<>();
        for (Poison p : poisons) {
            List<DeadLetter> found = mine.stream().filter(l -> l.getOriginalTopic().equals(p.topic())
                    && l.getOriginalPartition() == p.sent().partition() && l.getOriginalOffset() == p.sent().offset()).toList();
            matched.addAll(found);
            if (found.isEmpty()) {
                p.row().observe("no dead letter for " + p.topic() + "-" + p.sent().partition() + "@" + p.sent().offset(), false);
                continue;
            }
            DeadLetter letter = found.get(0);
            boolean whole = found.stream().allMatch(l -> Arrays.equals(p.value(), l.getValue() == null ? null : bytes(l.getValue()))
                    && l.getHeaders().containsKey("origin"));
            List<String> services = found.stream().map(DeadLetter::getService).sorted().toList();
            p.row().observe((found.size() > p.services().size() ? found.size() + " DEAD LETTERS; " : "") + String.join(" and ", services)
                            + ", " + letter.getOriginalTopic() + "-" + letter.getOriginalPartition() + "@" + letter.getOriginalOffset()
                            + (whole ? ", whole" : ", NOT WHOLE") + ": \"" + letter.getReason() + "\"",
                    services.equals(p.services().stream().sorted().toList()) && whole
                            && found.stream().allMatch(l -> l.getReason().contains(p.reasonPart())));
        }
        Row others = row("good", "dead letters for this camera's other records", "none: only the poison records are dead letters");
        List<String> extra = mine.stream().filter(l -> !matched.contains(l))
                .map(l -> l.getService() + " " + l.getOriginalTopic() + "@" + l.getOriginalOffset() + ": " + l.getReason()).toList();
        others.observe(extra.isEmpty() ? "none" : "UNEXPECTED: " + extra, extra.isEmpty());
    }

    // ---- reading topics ----

    /** The first value on the topic that decodes and satisfies {@code wanted}, waited for while the services run. */
    <V> Optional<V> awaitValue(String topic, Deserializer<V> deserializer, Predicate<V> wanted, BooleanSupplier running) {
        Map<String, Object> props = clients.consumer("bad-input-reader-" + UUID.randomUUID(), "bad-input-reader");
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Optional<V> value = decode(deserializer, record).filter(wanted);
                    if (value.isPresent()) {
                        return value;
                    }
                }
                if (!running.getAsBoolean()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Every committed record of the topic, from its start to its end as it stands now. */
    List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
        Map<String, Object> props = clients.consumer("bad-input-reader-" + UUID.randomUUID(), "bad-input-reader");
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "'" + topic + "' not read to its end within " + WAIT);
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    static <V> Optional<V> decode(Deserializer<V> deserializer, ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.ofNullable(deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            return Optional.empty();  // the poison records themselves
        }
    }

    // ---- the table ----

    static final class Row {
        final String kind;
        final String name;
        final String expected;
        String observed = "(not reached)";
        boolean behaved;

        Row(String kind, String name, String expected) {
            this.kind = kind;
            this.name = name;
            this.expected = expected;
        }

        void observe(String what, boolean ok) {
            this.observed = what;
            this.behaved = ok;
        }

        @Override
        public String toString() {
            return name + ": expected " + expected + ", observed " + observed;
        }
    }

    Row row(String kind, String name, String expected) {
        Row row = new Row(kind, name, expected);
        rows.add(row);
        return row;
    }

    void print(double seconds) {
        StringBuilder table = new StringBuilder("\nBad-input corpus: case | expected | observed\n");
        int n = 0;
        for (Row r : rows) {
            table.append(String.format("%2d %s %-5s | %s%n   expected: %s%n   observed: %s%n", ++n, r.behaved ? "ok  " : "FAIL",
                    r.kind.equals("bad") ? "case" : "check", r.name, r.expected, r.observed));
        }
        long cases = rows.stream().filter(r -> r.kind.equals("bad")).count();
        long behaved = rows.stream().filter(r -> r.kind.equals("bad") && r.behaved).count();
        long checks = rows.size() - cases;
        long held = rows.stream().filter(r -> !r.kind.equals("bad") && r.behaved).count();
        table.append(String.format("%d cases tried, %d behaved; %d checks that nothing was lost, %d held (%.0f s)%n",
                cases, behaved, checks, held, seconds));
        System.out.println(table);
    }

    // ---- the corpus: damaged files, made the way cards, gateways and buggy producers damage them ----

    byte[] sample(String path) throws IOException {
        return Files.readAllBytes(shared.images().resolve(path));
    }

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = BadInputCorpusIT.class.getResourceAsStream("/bad-input/" + name)) {
            assertTrue(in != null, "fixture bad-input/" + name + " missing");
            return in.readAllBytes();
        }
    }

    /**
     * The JPEG with a run of its entropy-coded scan data flipped (XOR 0x55, never making a 0xFF marker
     * byte), so its headers and end-of-image marker are intact but the picture does not decode cleanly.
     */
    static byte[] flipEntropyCodedBytes(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int i = 2;
        while ((b[i + 1] & 0xff) != 0xda) {  // walk the segments to the start of scan
            assertEquals(0xff, b[i] & 0xff, "a JPEG segment at " + i);
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        int dataStart = i + 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        int dataLength = b.length - 2 - dataStart;
        int from = dataStart + dataLength / 3;
        for (int k = from; k < from + Math.min(4096, dataLength / 3); k++) {
            b[k] ^= 0x55;
            if ((b[k] & 0xff) == 0xff) {
                b[k] = (byte) 0xfe;
            }
        }
        return b;
    }

    /** The JPEG with its EXIF (APP1) block's TIFF byte-order mark destroyed: the picture decodes, its metadata does not. */
    static byte[] withBrokenExif(byte[] jpeg) {
        byte[] broken = jpeg.clone();
        int exif = indexOf(broken, "Exif\0\0");
        assertTrue(exif > 0 && exif < 65536, "the sample has an EXIF block");
        broken[exif + 6] = 'X';
        broken[exif + 7] = 'X';
        return broken;
    }

    /** The JPEG with a comment segment after its start marker: other bytes, the same picture. */
    static byte[] withComment(byte[] jpeg, String comment) {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xff);
        out.write(0xfe);
        out.write((text.length + 2) >> 8);
        out.write((text.length + 2) & 0xff);
        out.writeBytes(text);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A 4-second MP4 (MPEG-4 video, 10 fps) of a square crossing a gradient; with its index first when asked. */
    static byte[] mp4(Path dir, boolean indexFirst) throws Exception {
        Path file = dir.resolve("clip-" + (indexFirst ? "faststart" : "plain") + ".mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 320, 240, 0);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setVideoBitrate(400_000);
            recorder.setFrameRate(10);
            if (indexFirst) {
                recorder.setOption("movflags", "faststart");
            }
            recorder.start();
            for (int i = 0; i < 40; i++) {
                BufferedImage picture = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = picture.createGraphics();
                g.setPaint(new java.awt.GradientPaint(0, 0, new Color(40, 90, 40), 320, 240, new Color(160, 140, 90)));
                g.fillRect(0, 0, 320, 240);
                g.setColor(Color.DARK_GRAY);
                g.fillRect(i * 7, 100, 40, 30);
                g.dispose();
                recorder.record(converter.convert(picture));
            }
            recorder.stop();
        }
        return Files.readAllBytes(file);
    }

    static int indexOf(byte[] data, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- HTTP ----

    HttpResponse<String> upload(String path, String cameraId, byte[] body, String key, String captureTime) throws Exception {
        String query = "?camera=" + cameraId + (captureTime == null ? "" : "&captureTime=" + captureTime);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingestBase + path + query))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String text(ByteBuffer buffer) {
        return new String(bytes(buffer), StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
