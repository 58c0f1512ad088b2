package org.trapline.identifier.http;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.http.view.IdentificationView;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.review.ReviewException;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.media.ImageInspector;
import org.trapline.media.UnreadableImage;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.schema.BoundingBox;

/**
 * {@code POST /api/identify}: who the animal on a person's photo is, as the pipeline would decide now (the same
 * matchers, gallery and thresholds, under the lock the loop changes them under), for anyone who asks; nothing is
 * published. The photo (the body, or a multipart {@code file} part) is checked as ingest checks uploads (415 not
 * JPEG or PNG, 400 truncated or corrupt, 413 too large), then ranked against the gallery. Query: {@code species},
 * {@code site}, {@code box=x,y,w,h} (normalised), {@code top} (5); {@code record=true} with {@code camera} (and
 * {@code captureTime}) also records it, through ingest.
 */
final class PhotoRoutes {

    private final IdentifierState state;
    private final PhotoIdentifier photos;
    private final ObjectMapper json;
    private final URI ingestUrl;
    private final long maxImageBytes;
    private final MeterRegistry metrics;
    private final Timer identifyTime;
    private final HttpClient ingest = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param maxImageBytes the largest photo taken (identifier.identify.max.image.bytes)
     * @param ingestUrl     where a photo to record is sent (identifier.ingest.url)
     */
    PhotoRoutes(IdentifierState state, PhotoIdentifier photos, ObjectMapper json, URI ingestUrl, long maxImageBytes,
                MeterRegistry metrics) {
        this.state = state;
        this.photos = photos;
        this.json = json;
        this.ingestUrl = ingestUrl;
        this.maxImageBytes = maxImageBytes;
        this.metrics = metrics;
        this.identifyTime = Timer.builder("trapline.identifier.identify").publishPercentileHistogram()
                .description("one photo identified through the API").register(metrics);
    }

    void register(Javalin app) {
        app.post("/api/identify", this::identify);
    }

    private void identify(Context ctx) throws ReviewException, IOException, Matcher.MatchException, InterruptedException {
        boolean record = ctx.queryParam("record") != null && !ctx.queryParam("record").equals("false");
        String camera = Optional.ofNullable(ctx.queryParam("camera")).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
        if (record && camera == null) {
            throw new ReviewException(400, "record=true needs the camera the photo was taken with (camera=…)");
        }
        String species = Optional.ofNullable(ctx.queryParam("species")).map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).orElse(null);
        String site = Optional.ofNullable(ctx.queryParam("site")).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
        BoundingBox box = box(ctx.queryParam("box"));
        int top = top(ctx.queryParam("top"));
        byte[] bytes = photo(ctx);
        try {
            ImageInspector.inspect(bytes);
        } catch (UnreadableImage e) {
            countPhoto("unreadable");
            throw new ReviewException(e.kind() == UnreadableImage.Kind.NOT_AN_IMAGE ? 415 : 400, e.getMessage());
        }
        BufferedImage photo;
        try {
            photo = Crops.decode(bytes, "the photo");
        } catch (IOException e) {
            countPhoto("unreadable");
            throw new ReviewException(400, e.getMessage());
        }
        IdentificationView answer = identify(new PhotoIdentifier.Query(photo, box, species, site, top));
        countPhoto("identified");
        if (record) {
            answer = answer.recorded(recordThroughIngest(ctx, camera, bytes));
        }
        ctx.json(answer);
    }

    /** The photo identified and its answer made under the state's lock, from the gallery its candidates came from. */
    private IdentificationView identify(PhotoIdentifier.Query query) throws ReviewException, Matcher.MatchException {
        state.lock().lock();
        try {
            Timer.Sample sample = Timer.start(metrics);
            PhotoIdentifier.Result result = photos.identify(state.gallery(), query);
            sample.stop(identifyTime);
            return IdentificationView.of(query, result, state.gallery(), state.desk());
        } finally {
            state.lock().unlock();
        }
    }

    /**
     * Records the photo as a sighting the one way every image enters Trapline: uploaded to ingest for the camera,
     * with the caller's key (ingest decides whether it may), so that it is checked and kept, its person redacted
     * by the detector and its animals identified by this service's loop, exactly once (ingest knows a photo it has
     * already taken by its content and camera). Nothing is published from here. Ingest's refusal is the answer.
     */
    private IdentificationView.Recorded recordThroughIngest(Context ctx, String camera, byte[] bytes)
            throws IOException, InterruptedException, ReviewException {
        String query = "camera=" + URLEncoder.encode(camera, StandardCharsets.UTF_8)
                + Optional.ofNullable(ctx.queryParam("captureTime"))
                .map(t -> "&captureTime=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("");
        HttpRequest.Builder upload = HttpRequest.newBuilder(ingestUrl.resolve("/api/frames?" + query))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        ApiKeyAuth.presented(ctx).ifPresent(key -> upload.header(ApiKeyAuth.KEY_HEADER, key));
        HttpResponse<String> answer;
        try {
            answer = ingest.send(upload.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ReviewException(503, "ingest at " + ingestUrl + " cannot be reached to record the photo (identifier.ingest.url)");
        }
        JsonNode body;
        try {
            body = json.readTree(answer.body());
        } catch (IOException e) {
            throw new ReviewException(502, "ingest answered " + answer.statusCode() + " without JSON: " + answer.body());
        }
        if (answer.statusCode() / 100 != 2) {
            throw new ReviewException(answer.statusCode(), "ingest refused to record the photo: "
                    + body.path("error").asText(answer.body()));
        }
        countPhoto("recorded");
        return new IdentificationView.Recorded(camera, body.path("frameId").asText(null), answer.statusCode(), body);
    }

    /** The photo's bytes, raw or the multipart {@code file} part, read no further than the limit. */
    private byte[] photo(Context ctx) throws IOException, ReviewException {
        long declared;
        InputStream in;
        if (ctx.isMultipartFormData()) {
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null) {
                throw new ReviewException(400, "multipart request without a 'file' part");
            }
            declared = file.size();
            in = file.content();
        } else {
            declared = ctx.contentLength();
            in = ctx.bodyInputStream();
        }
        try (in) {
            if (declared > maxImageBytes) {
                throw tooLarge(declared);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxImageBytes + 1));
            if (bytes.length > maxImageBytes) {
                throw tooLarge(bytes.length);
            }
            if (bytes.length == 0) {
                throw new ReviewException(400, "empty body: send the photo's bytes (JPEG or PNG)");
            }
            return bytes;
        }
    }

    private ReviewException tooLarge(long size) {
        countPhoto("too-large");
        return new ReviewException(413, "a photo of " + size + " bytes exceeds the limit of " + maxImageBytes
                + " bytes (identifier.identify.max.image.bytes)");
    }

    /** {@code x,y,w,h}, normalised as the detector writes boxes: inside the photo, not empty. */
    static BoundingBox box(String value) throws ReviewException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.split(",");
        String form = "box is x,y,w,h in the photo's normalised coordinates (each 0 to 1, e.g. box=0.1,0.2,0.5,0.4), not '"
                + value + "'";
        if (parts.length != 4) {
            throw new ReviewException(400, form);
        }
        float[] numbers = new float[4];
        for (int i = 0; i < 4; i++) {
            try {
                numbers[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new ReviewException(400, form);
            }
            if (!(numbers[i] >= 0f && numbers[i] <= 1f)) {
                throw new ReviewException(400, form);
            }
        }
        // a little tolerance for boxes written with rounded corners
        if (numbers[2] <= 0f || numbers[3] <= 0f || numbers[0] + numbers[2] > 1.001f || numbers[1] + numbers[3] > 1.001f) {
            throw new ReviewException(400, "box " + value + " is empty or reaches outside the photo (x + w and y + h are at most 1)");
        }
        return new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
    }

    static int top(String value) throws ReviewException {
        if (value == null || value.isBlank()) {
            return 5;
        }
        try {
            int top = Integer.parseInt(value.strip());
            if (top >= 1 && top <= 100) {
                return top;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ReviewException(400, "top is a whole number from 1 to 100, not '" + value + "'");
    }

    private void countPhoto(String outcome) {
        Counter.builder("trapline.identifier.photos").tag("outcome", outcome)
                .description("photos sent to POST /api/identify: identified, unreadable, too-large, recorded").register(metrics).increment();
    }
}
