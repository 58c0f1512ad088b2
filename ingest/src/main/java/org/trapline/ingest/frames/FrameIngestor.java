package org.trapline.ingest.frames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.catalog.Camera;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.ingest.media.ExifData;
import org.trapline.media.ImageInspector;
import org.trapline.media.UnreadableImage;
import org.trapline.schema.BlobRef;
import org.trapline.schema.CaptureTimeSource;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameSourceKind;
import org.trapline.schema.VideoFrameSource;
import org.trapline.topics.Topics;

/**
 * The one path every image takes into Trapline, from a gateway upload, an SD-card import or a video:
 * check it, store its bytes durably, publish its {@link Frame} and wait for Kafka's acknowledgement.
 *
 * <p>The same bytes from the same camera are one frame: its id is derived from camera and SHA-256, and
 * the published frame itself is kept beside the blobs, so a repeated upload is answered with the frame
 * that exists. Should ingest crash between Kafka's acknowledgement and that record, the retry
 * publishes the same frame id again, which downstream services treat as the same frame.
 */
public final class FrameIngestor {

    /** What arrived. {@code video} and {@code captureTimeOverride} are set for frames taken from a clip. */
    public record Upload(String cameraId, String siteId, byte[] bytes, String fileName, Optional<Instant> gatewayTime,
                         VideoFrameSource video, CaptureTime captureTimeOverride) {

        public static Upload image(String cameraId, String siteId, byte[] bytes, String fileName,
                                   Optional<Instant> gatewayTime) {
            return new Upload(cameraId, siteId, bytes, fileName, gatewayTime, null, null);
        }
    }

    /** What became of it: the frame, whether it was already in, and anything worth telling the sender. */
    public record Result(Frame frame, boolean duplicate, List<String> warnings) {
    }

    private final SiteCatalog catalog;
    private final BlobStore blobs;
    private final Producer<String, Frame> producer;
    private final Clock clock;
    private final long maxImageBytes;
    private final Duration ackTimeout;
    private final MeterRegistry metrics;
    private final ReentrantLock[] locks = new ReentrantLock[64];

    public FrameIngestor(SiteCatalog catalog, BlobStore blobs, Producer<String, Frame> producer, Clock clock,
                         long maxImageBytes, Duration ackTimeout, MeterRegistry metrics) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.producer = producer;
        this.clock = clock;
        this.maxImageBytes = maxImageBytes;
        this.ackTimeout = ackTimeout;
        this.metrics = metrics;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public Result ingest(Upload upload) throws Rejection, IOException {
        try {
            Result result = ingestChecked(upload);
            metrics.counter("trapline.ingest.frames", "outcome", result.duplicate() ? "duplicate" : "created").increment();
            if (!result.duplicate()) {
                metrics.counter("trapline.ingest.bytes").increment(upload.bytes().length);
            }
            return result;
        } catch (Rejection e) {
            metrics.counter("trapline.ingest.frames", "outcome", "rejected").increment();
            throw e;
        }
    }

    /** The picture's type and size; a non-image is 415, a truncated or corrupt picture 422. */
    private static ImageInspector.ImageInfo inspect(byte[] bytes) throws Rejection {
        try {
            return ImageInspector.inspect(bytes);
        } catch (UnreadableImage e) {
            throw new Rejection(e.kind() == UnreadableImage.Kind.NOT_AN_IMAGE ? Rejection.Kind.UNSUPPORTED_MEDIA
                    : Rejection.Kind.UNPROCESSABLE, e.getMessage());
        }
    }

    private Result ingestChecked(Upload upload) throws Rejection, IOException {
        Camera camera = camera(upload.cameraId(), upload.siteId());
        Site site = catalog.site(camera.siteId()).orElseThrow();
        if (upload.bytes().length > maxImageBytes) {
            throw new Rejection(Rejection.Kind.TOO_LARGE, "image of " + upload.bytes().length
                    + " bytes exceeds the limit of " + maxImageBytes + " bytes (ingest.max.image.bytes)");
        }
        ImageInspector.ImageInfo image = inspect(upload.bytes());
        String sha256 = BlobKeys.sha256(upload.bytes());
        String frameId = frameId(camera.id(), sha256);
        String publishedKey = BlobKeys.of("frames", camera.id(), sha256);

        ReentrantLock lock = locks[Math.floorMod(publishedKey.hashCode(), locks.length)];
        lock.lock();
        try {
            Optional<Frame> existing = published(publishedKey);
            if (existing.isPresent()) {
                return new Result(existing.get(), true, List.of());
            }
            List<String> warnings = new ArrayList<>();
            ExifData exif = ExifData.read(upload.bytes());
            Instant received = clock.instant();
            CaptureTime captured = upload.captureTimeOverride() != null ? upload.captureTimeOverride()
                    : captureTime(exif, camera, site, upload.gatewayTime(), received, warnings);
            String contentKey = BlobKeys.content(sha256);
            blobs.put(contentKey, upload.bytes());
            Frame frame = Frame.newBuilder()
                    .setFrameId(frameId)
                    .setContentSha256(sha256)
                    .setSiteId(site.id())
                    .setCameraId(camera.id())
                    .setDeploymentId(catalog.deploymentAt(camera.id(), captured.time()).map(d -> d.id()).orElse(null))
                    .setCaptureTime(captured.time())
                    .setCaptureTimeSource(captured.source())
                    .setReceivedTime(received)
                    .setMediaType(image.mediaType())
                    .setWidth(image.width())
                    .setHeight(image.height())
                    .setSource(upload.video() == null ? FrameSourceKind.IMAGE : FrameSourceKind.VIDEO_FRAME)
                    .setVideo(upload.video())
                    .setBlob(new BlobRef(blobs.name(), contentKey, (long) upload.bytes().length))
                    .setOriginalFileName(upload.fileName())
                    .setCameraMake(exif.make().orElse(camera.make()))
                    .setCameraModel(exif.model().orElse(camera.model()))
                    .setLatitude(exif.latitude().orElse(site.latitude()))
                    .setLongitude(exif.longitude().orElse(site.longitude()))
                    .build();
            publish(frame);
            blobs.put(publishedKey, toBytes(frame.toByteBuffer()));
            return new Result(frame, false, List.copyOf(warnings));
        } finally {
            lock.unlock();
        }
    }

    /** Whether this camera has sent these bytes before, without reading or storing anything. */
    public boolean alreadyIn(String cameraId, String sha256) throws IOException {
        return blobs.exists(BlobKeys.of("frames", cameraId, sha256));
    }

    /** The registered camera, checked against the site the sender named (if any). */
    public Camera camera(String cameraId, String siteId) throws Rejection {
        if (cameraId == null || cameraId.isBlank()) {
            throw new Rejection(Rejection.Kind.BAD_REQUEST, "no camera id given");
        }
        Camera camera = catalog.camera(cameraId).orElseThrow(() -> new Rejection(Rejection.Kind.UNPROCESSABLE,
                "unknown camera '" + cameraId + "': register it in the site catalog first"));
        if (siteId != null && !siteId.isBlank() && !siteId.equals(camera.siteId())) {
            throw new Rejection(Rejection.Kind.UNPROCESSABLE, "camera '" + cameraId + "' stands at site '"
                    + camera.siteId() + "', not '" + siteId + "'");
        }
        return camera;
    }

    private static CaptureTime captureTime(ExifData exif, Camera camera, Site site, Optional<Instant> gatewayTime,
                                           Instant received, List<String> warnings) throws Rejection {
        if (!exif.problems().isEmpty()) {
            String problems = String.join("; ", exif.problems());
            if (exif.captured().isEmpty() && gatewayTime.isEmpty()) {
                // a damaged EXIF block with no other time: the picture cannot be placed in time
                throw new Rejection(Rejection.Kind.UNPROCESSABLE, "broken EXIF (" + problems
                        + ") and no capture time given: send the gateway's time with the image");
            }
            warnings.add("broken EXIF (" + problems + ")");
        }
        CaptureTime captured = CaptureTime.resolve(exif, camera, site.zone(), gatewayTime, received);
        if (captured.source() != CaptureTimeSource.EXIF) {
            warnings.add("no EXIF capture time: used the " + captured.source().name().toLowerCase() + " time");
        }
        return captured;
    }

    /** The frame this camera already published with these bytes, from the record kept of it, if any. */
    private Optional<Frame> published(String publishedKey) throws IOException {
        Optional<byte[]> record = blobs.get(publishedKey);
        return record.isEmpty() ? Optional.empty() : Optional.of(Frame.fromByteBuffer(ByteBuffer.wrap(record.get())));
    }

    private void publish(Frame frame) throws IOException {
        try {
            producer.send(new ProducerRecord<>(Topics.FRAMES.name(), frame.getCameraId(), frame))
                    .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("Kafka did not acknowledge frame " + frame.getFrameId() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Kafka's acknowledgement", e);
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Same camera, same bytes: same frame id, whichever instance or retry computes it. */
    public static String frameId(String cameraId, String sha256) {
        return UUID.nameUUIDFromBytes((cameraId + "/" + sha256).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
