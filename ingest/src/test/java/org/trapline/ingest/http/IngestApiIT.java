package org.trapline.ingest.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.config.TraplineConfig;
import org.trapline.ingest.CameraFrames;
import org.trapline.ingest.IngestService;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobKeys;
import org.trapline.catalog.SiteCatalog;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.media.TestImages;
import org.trapline.schema.CaptureTimeSource;
import org.trapline.schema.Frame;
import org.trapline.testsupport.junit.TestStack;
import org.trapline.testsupport.junit.TestStackExtension;
import org.trapline.localstack.samples.SharedData;

/** The gateway API against the real broker and registry, with the shared sample images. */
@ExtendWith(TestStackExtension.class)
class IngestApiIT {

    static final String NORTH_KEY = ApiKeys.newKey();
    static final String SOUTH_KEY = ApiKeys.newKey();
    static final String OPERATOR_KEY = ApiKeys.newKey();
    static final long MAX_IMAGE_BYTES = 400_000;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SharedData shared;
    static TraplineConfig config;
    static IngestService service;
    static Path blobDir;
    static Path catalogFile;
    static String base;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path dataDir) throws Exception {
        shared = SharedData.locate();
        catalogFile = dataDir.resolve("catalog.json");
        Files.writeString(catalogFile, """
                {"sites": [
                   {"id": "serengeti", "name": "Serengeti plains", "latitude": -2.33, "longitude": 34.83, "timeZone": "Africa/Dar_es_Salaam"},
                   {"id": "kruger", "name": "Kruger north", "latitude": -22.9, "longitude": 31.4}],
                 "cameras": [
                   {"id": "cam-a", "siteId": "serengeti", "make": "Reconyx"},
                   {"id": "cam-b", "siteId": "serengeti", "clockOffsetSeconds": 3600},
                   {"id": "cam-c", "siteId": "kruger"},
                   {"id": "cam-d", "siteId": "serengeti"}],
                 "deployments": [
                   {"id": "cam-a-2016", "cameraId": "cam-a", "siteId": "serengeti", "start": "2016-01-01T00:00:00Z", "end": "2017-01-01T00:00:00Z"}]}
                """);
        blobDir = dataDir.resolve("blobs");
        Map<String, String> settings = new HashMap<>(stack.config(dataDir));
        settings.putAll(Map.of(
                "ingest.http.port", "0",
                "ingest.catalog.file", catalogFile.toString(),
                "blob.fs.dir", blobDir.toString(),
                "ingest.max.image.bytes", String.valueOf(MAX_IMAGE_BYTES),
                "ingest.gateway.north.key.sha256", ApiKeys.hash(NORTH_KEY),
                "ingest.gateway.north.cameras", "cam-a, cam-b, cam-d",
                "ingest.gateway.south.key.sha256", ApiKeys.hash(SOUTH_KEY),
                "ingest.gateway.south.cameras", "cam-c",
                "ingest.operator.amara.key.sha256", ApiKeys.hash(OPERATOR_KEY)));
        config = TraplineConfig.of(settings);
        service = IngestService.start(config);
        base = "http://127.0.0.1:" + service.port();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void anImageBecomesOneFramePublishedWithItsBytesInTheBlobStore() throws Exception {
        byte[] image = sample("camera-traps/idaho-camera-traps.jpg");
        HttpResponse<String> response = upload("cam-a", image, NORTH_KEY, null);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(BlobKeys.sha256(image), answer.get("sha256").asText());
        assertEquals("EXIF", answer.get("captureTimeSource").asText());
        // EXIF 2016:01:28 15:14:45, local time at the site (UTC+3)
        assertEquals("2016-01-28T12:14:45Z", answer.get("captureTime").asText());
        assertEquals("cam-a-2016", answer.get("deploymentId").asText());

        Path stored = blobDir.resolve(BlobKeys.content(BlobKeys.sha256(image)));
        assertArrayEquals(image, Files.readAllBytes(stored), "the bytes, durable in the blob store");

        Frame frame = awaitFrame("cam-a", answer.get("frameId").asText());
        assertEquals("serengeti", frame.getSiteId());
        assertEquals(CaptureTimeSource.EXIF, frame.getCaptureTimeSource());
        assertEquals(Instant.parse("2016-01-28T12:14:45Z"), frame.getCaptureTime());
        assertEquals(BlobKeys.sha256(image), frame.getContentSha256());
        assertTrue(frame.getWidth() > 0 && frame.getHeight() > 0);
        assertEquals("image/jpeg", frame.getMediaType());
        assertEquals(BlobKeys.content(frame.getContentSha256()), frame.getBlob().getUri());
    }

    @Test
    void aCameraClockKnownToRunAheadIsCorrected() throws Exception {
        HttpResponse<String> response = upload("cam-b", sample("camera-traps/idaho-camera-traps.jpg"), NORTH_KEY, null);
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("2016-01-28T11:14:45Z", JSON.readTree(response.body()).get("captureTime").asText(),
                "an hour earlier than its EXIF says");
    }

    @Test
    void theSameBytesFromTheSameCameraAreOneFrameEvenWhenSentAtOnce() throws Exception {
        byte[] image = sample("camera-traps/nacti.jpg");
        List<Callable<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uploads.add(() -> upload("cam-d", image, NORTH_KEY, null));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> frameIds = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<HttpResponse<String>> f : pool.invokeAll(uploads)) {
                statuses.add(f.get().statusCode());
                frameIds.add(JSON.readTree(f.get().body()).get("frameId").asText());
            }
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one created: " + statuses);
        assertEquals(7, statuses.stream().filter(s -> s == 200).count(), "the rest answered as duplicates");
        assertEquals(1, frameIds.stream().distinct().count(), "all name the same frame");
        HttpResponse<String> again = upload("cam-d", image, NORTH_KEY, null);
        assertEquals(200, again.statusCode());
        assertTrue(JSON.readTree(again.body()).get("duplicate").asBoolean());

        // a later frame of the same camera travels the same partition: once it is seen, so would any copy be
        HttpResponse<String> later = upload("cam-d", sample("camera-traps/true_positive.jpg"), NORTH_KEY, null);
        List<Frame> frames = CameraFrames.until(config, "cam-d", JSON.readTree(later.body()).get("frameId").asText());
        assertEquals(1, frames.stream().filter(f -> f.getFrameId().equals(frameIds.get(0))).count(),
                "exactly one event for the repeated image");
    }

    @Test
    void keysAreCheckedAndBoundToTheirCameras() throws Exception {
        byte[] image = sample("camera-traps/pheasant_web.jpg");
        assertError(401, "no API key", upload("cam-a", image, null, null));
        assertError(401, "unknown API key", upload("cam-a", image, "tl_not-a-key", null));
        assertError(403, "may not upload for camera 'cam-a'", upload("cam-a", image, SOUTH_KEY, null));
        assertError(403, "only an operator", put("/api/cameras/cam-x", "{\"siteId\":\"serengeti\"}", NORTH_KEY));
        assertFalse(service.parts().frames().alreadyIn("cam-a", BlobKeys.sha256(image)), "nothing was taken");
    }

    @Test
    void anUnknownCameraOrTheWrongSiteIsRefused() throws Exception {
        byte[] image = sample("camera-traps/pheasant_web.jpg");
        assertError(422, "unknown camera 'cam-nowhere'", upload("cam-nowhere", image, OPERATOR_KEY, null));
        HttpResponse<String> wrongSite = send(HttpRequest.newBuilder(URI.create(base + "/api/frames?camera=cam-a&site=kruger"))
                .header("X-Api-Key", NORTH_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(image)).build());
        assertError(422, "stands at site 'serengeti', not 'kruger'", wrongSite);
        assertFalse(Files.exists(blobDir.resolve(BlobKeys.content(BlobKeys.sha256(image)))), "nothing stored");
    }

    @Test
    void badInputGetsItsPreciseReasonAndNothingIsStored() throws Exception {
        byte[] good = sample("camera-traps/mike_caper_20241018010155_23.jpg");
        byte[] truncated = Arrays.copyOf(good, good.length * 3 / 5);
        // seeded garbage in the middle of the compressed data, which the decoder notices
        byte[] corrupt = sample("camera-traps/idaho-camera-traps.jpg");
        java.util.Random garbage = new java.util.Random(42);
        for (int i = corrupt.length / 3; i < corrupt.length / 3 + 2000; i++) {
            corrupt[i] = (byte) garbage.nextInt(256);
        }
        byte[] text = "Camera 7, card 2: 312 images, battery 40%".getBytes(StandardCharsets.UTF_8);
        byte[] oversize = sample("camera-traps/sample-ufldwec-01.jpg");
        byte[] brokenExif = TestImages.withBrokenExif(sample("camera-traps/idaho-camera-traps.jpg"));

        assertError(422, "truncated JPEG", upload("cam-a", truncated, NORTH_KEY, null));
        assertError(422, "corrupt image/jpeg", upload("cam-a", corrupt, NORTH_KEY, null));
        assertError(415, "not an image Trapline reads", upload("cam-a", text, NORTH_KEY, null));
        assertError(413, "exceeds the limit of 400000 bytes", upload("cam-a", oversize, NORTH_KEY, null));
        assertError(400, "empty upload", upload("cam-a", new byte[0], NORTH_KEY, null));
        assertError(400, "not an ISO-8601 instant", upload("cam-a", good, NORTH_KEY, "yesterday at dawn"));
        assertError(422, "broken EXIF", upload("cam-a", brokenExif, NORTH_KEY, null));
        for (byte[] refused : List.of(truncated, corrupt, text, oversize, brokenExif)) {
            assertFalse(Files.exists(blobDir.resolve(BlobKeys.content(BlobKeys.sha256(refused)))), "nothing partial stored");
        }

        // the same broken EXIF with the gateway's time is a usable frame, and the answer says why
        HttpResponse<String> withTime = upload("cam-a", brokenExif, NORTH_KEY, "2026-03-14T05:42:17Z");
        assertEquals(201, withTime.statusCode(), withTime.body());
        JsonNode answer = JSON.readTree(withTime.body());
        assertEquals("GATEWAY", answer.get("captureTimeSource").asText());
        assertEquals("2026-03-14T05:42:17Z", answer.get("captureTime").asText());
        assertTrue(answer.get("warnings").toString().contains("broken EXIF"), answer.toString());

        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/health")).build()).statusCode(),
                "the service keeps serving");
    }

    @Test
    void aMultipartUploadOfAPngWorksToo() throws Exception {
        byte[] png = sample("animals/fox.png");
        String boundary = "trapline-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"camera\"\r\n\r\ncam-c\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"captureTime\"\r\n\r\n2026-02-01T03:00:00Z\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fox.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(png);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/api/frames"))
                .header("Authorization", "Bearer " + SOUTH_KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals("kruger", answer.get("siteId").asText());
        assertEquals("GATEWAY", answer.get("captureTimeSource").asText());
        Frame frame = awaitFrame("cam-c", answer.get("frameId").asText());
        assertEquals("image/png", frame.getMediaType());
        assertEquals("fox.png", frame.getOriginalFileName());
    }

    @Test
    void operatorsChangeTheCatalogAndTheChangeIsKept() throws Exception {
        assertEquals(200, put("/api/cameras/cam-new", "{\"siteId\":\"kruger\",\"make\":\"Browning\"}", OPERATOR_KEY).statusCode());
        assertError(422, "unknown site 'atlantis'", put("/api/cameras/cam-lost", "{\"siteId\":\"atlantis\"}", OPERATOR_KEY));
        assertError(422, "overlap", put("/api/deployments/cam-a-again",
                "{\"cameraId\":\"cam-a\",\"siteId\":\"serengeti\",\"start\":\"2016-06-01T00:00:00Z\"}", OPERATOR_KEY));
        assertTrue(SiteCatalog.load(catalogFile).camera("cam-new").isPresent(), "written to the catalog file");

        byte[] image = sample("camera-traps/missed_bird.jpg");
        assertError(403, "may not upload for camera 'cam-new'", upload("cam-new", image, NORTH_KEY, null));
        assertEquals(201, upload("cam-new", image, OPERATOR_KEY, null).statusCode());
    }

    @Test
    void aClipBecomesFramesWithTheirClipNumberAndTime(@TempDir Path work) throws Exception {
        Path samples = shared.images().resolve("camera-traps");
        byte[] clip = org.trapline.ingest.video.TestClips.mp4(work, List.of(samples.resolve("sample-dzf-01.jpg"),
                samples.resolve("orinoquia-thumb-web.jpg"), samples.resolve("mike_heron_20241018012713_0.jpg")),
                Instant.parse("2024-05-01T06:00:00Z"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/api/clips?camera=cam-a"))
                .header("X-Api-Key", NORTH_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        JsonNode frames = answer.get("frames");
        assertEquals(4, frames.size(), "three seconds at one frame a second, and the last picture, 0.9 s after the third");
        assertEquals(List.of(0L, 1000L, 2000L, 2900L), List.of(frames.get(0).get("frameTimeMillis").asLong(),
                frames.get(1).get("frameTimeMillis").asLong(), frames.get(2).get("frameTimeMillis").asLong(),
                frames.get(3).get("frameTimeMillis").asLong()));
        Frame last = awaitFrame("cam-a", frames.get(2).get("frameId").asText());
        assertEquals(org.trapline.schema.FrameSourceKind.VIDEO_FRAME, last.getSource());
        assertEquals(answer.get("clipId").asText(), last.getVideo().getClipId());
        assertEquals(CaptureTimeSource.VIDEO_METADATA, last.getCaptureTimeSource());
        assertEquals(Instant.parse("2024-05-01T06:00:02Z"), last.getCaptureTime(), "the clip's start plus two seconds");

        HttpResponse<String> again = send(HttpRequest.newBuilder(URI.create(base + "/api/clips?camera=cam-a"))
                .header("X-Api-Key", NORTH_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(clip)).build());
        assertEquals(200, again.statusCode(), "the same clip again is a duplicate");

        byte[] truncated = Arrays.copyOf(clip, clip.length / 2);
        HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/api/clips?camera=cam-a"))
                .header("X-Api-Key", NORTH_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(truncated)).build());
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals("video cannot be opened: the clip is truncated, or is not a video MP4, MOV or AVI can hold",
                JSON.readTree(refused.body()).get("error").asText(), "in words a person can act on, FFmpeg's in the log");
        assertFalse(Files.exists(blobDir.resolve(BlobKeys.content(BlobKeys.sha256(truncated)))), "nothing of it stored");
        assertError(415, "not a video", send(HttpRequest.newBuilder(URI.create(base + "/api/clips?camera=cam-a"))
                .header("X-Api-Key", NORTH_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(sample("camera-traps/nacti.jpg"))).build()));
    }

    @Test
    void healthReadinessAndMetricsAnswer() throws Exception {
        assertEquals(200, send(HttpRequest.newBuilder(URI.create(base + "/health")).build()).statusCode());
        HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create(base + "/ready")).build());
        assertEquals(200, ready.statusCode(), ready.body());
        upload("cam-a", sample("camera-traps/speciesnet_sample_image.jpg"), NORTH_KEY, null);
        String metrics = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build()).body();
        assertTrue(metrics.contains("trapline_ingest_frames_total{outcome=\"created\"}"), "ingest counters");
        assertTrue(metrics.contains("kafka_producer_record_send_total"), "the producer's own metrics");
        assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
    }

    // ---- helpers ----

    static byte[] sample(String path) throws Exception {
        return Files.readAllBytes(shared.images().resolve(path));
    }

    static HttpResponse<String> upload(String camera, byte[] image, String key, String captureTime) throws Exception {
        String query = "camera=" + camera + (captureTime == null ? "" : "&captureTime=" + captureTime.replace(" ", "%20"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/frames?" + query))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return send(request.build());
    }

    static HttpResponse<String> put(String path, String json, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Api-Key", key)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(int status, String reasonPart, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        String reason = JSON.readTree(response.body()).get("error").asText();
        assertTrue(reason.contains(reasonPart), "reason '" + reason + "' should say '" + reasonPart + "'");
    }

    static Frame awaitFrame(String camera, String frameId) {
        return CameraFrames.until(config, camera, frameId).stream().filter(f -> f.getFrameId().equals(frameId)).findFirst().orElseThrow();
    }
}
