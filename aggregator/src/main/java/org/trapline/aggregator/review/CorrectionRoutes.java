package org.trapline.aggregator.review;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.auth.ApiKeys;
import org.trapline.catalog.Camera;
import org.trapline.corrections.CorrectionRules;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpError;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.Correction;
import org.trapline.schema.CorrectionKind;
import org.trapline.topics.Topics;

/**
 * {@code POST /api/corrections}: what a reviewer decided about a frame or a sighting, written to the
 * {@code corrections} topic, from which the counts follow. Answered 202 once the broker has the correction
 * (all in-sync replicas), with its id; a retry with the same {@code correctionId} is applied once.
 *
 * <p>Refused: without a key 401; with a gateway's key, or a reviewer's bound to other sites, 403; a camera
 * the catalog does not know 404; a camera of another site, a malformed body or a correction that
 * {@link CorrectionRules} refuses 400, with the reason. Individuals (confirm, new, merge, split) are the
 * gallery's and are decided through the identifier's review API, which the counts follow already.
 */
public final class CorrectionRoutes {

    private static final Logger log = LoggerFactory.getLogger(CorrectionRoutes.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    /** The body: the frame it is about, what was decided, and why. */
    record Request(String correctionId, String frameId, String siteId, String cameraId, String deploymentId,
                   Instant captureTime, String sightingId, String kind, String scientificName, String commonName,
                   Integer count, float[] bbox, String reason) {
    }

    private final ApiKeyAuth auth;
    private final SiteDirectory sites;
    private final Producer<String, Correction> producer;
    private final ObjectMapper json;
    private final Clock clock;

    public CorrectionRoutes(ApiKeyAuth auth, SiteDirectory sites, Producer<String, Correction> producer, ObjectMapper json,
                            Clock clock) {
        this.auth = auth;
        this.sites = sites;
        this.producer = producer;
        this.json = json;
        this.clock = clock;
    }

    public void routes(Javalin app) {
        app.post("/api/corrections", this::correct);
    }

    private void correct(Context ctx) {
        auth.requireReviewer(ctx);
        Request request = body(ctx);
        if (request.siteId() == null || request.cameraId() == null || request.frameId() == null || request.captureTime() == null) {
            throw new HttpError(400, "a correction names its frameId, siteId, cameraId and the frame's captureTime");
        }
        ApiKeys.Principal principal = auth.requireReviewer(ctx, request.siteId());
        Camera camera = sites.camera(request.cameraId())
                .orElseThrow(() -> new HttpError(404, "unknown camera '" + request.cameraId() + "'"));
        if (!camera.siteId().equals(request.siteId())) {
            throw new HttpError(400, "camera '" + camera.id() + "' is at site '" + camera.siteId() + "', not '" + request.siteId() + "'");
        }
        Correction correction = correction(request, principal.name());
        CorrectionRules.problem(correction).ifPresent(problem -> {
            throw new HttpError(400, problem);
        });
        try {
            producer.send(new ProducerRecord<>(Topics.CORRECTIONS.name(), correction.getFrameId(), correction))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("correction {} of frame {} not written: {}", correction.getCorrectionId(), correction.getFrameId(), e.toString());
            ctx.header("Retry-After", "5");
            throw new HttpError(503, "the correction could not be written to Kafka; send it again with the same correctionId");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while writing the correction");
        }
        ctx.status(202).json(Map.of("correctionId", correction.getCorrectionId(), "frameId", correction.getFrameId(),
                "reviewer", correction.getReviewer()));
    }

    private Request body(Context ctx) {
        try {
            return json.readValue(ctx.body(), Request.class);
        } catch (java.io.IOException e) {
            throw new HttpError(400, "the body is not a correction (JSON: frameId, siteId, cameraId, captureTime, kind, …): "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private Correction correction(Request r, String reviewer) {
        CorrectionKind kind;
        try {
            kind = CorrectionKind.valueOf(r.kind() == null ? "" : r.kind());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "kind '" + r.kind() + "' is none of " + Arrays.stream(CorrectionKind.values())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
        if (kind.name().startsWith("INDIVIDUAL_")) {
            throw new HttpError(400, kind + ": individuals are decided through the identifier's review API "
                    + "(POST /api/individuals/…, docs/identifier.md); the counts follow the gallery");
        }
        String id = r.correctionId() != null ? r.correctionId() : UUID.randomUUID().toString();
        if (!ID.matcher(id).matches()) {
            throw new HttpError(400, "correctionId '" + id + "' must be 1 to 100 letters, digits, '.', '_', ':' or '-'");
        }
        if (r.bbox() != null && r.bbox().length != 4) {
            throw new HttpError(400, "bbox is [x, y, width, height], normalised");
        }
        return Correction.newBuilder()
                .setCorrectionId(id)
                .setFrameId(r.frameId())
                .setSiteId(r.siteId())
                .setCameraId(r.cameraId())
                .setDeploymentId(r.deploymentId())
                .setCaptureTime(r.captureTime())
                .setSightingId(r.sightingId())
                .setKind(kind)
                .setScientificName(r.scientificName() == null ? null : r.scientificName().strip())
                .setCommonName(r.commonName())
                .setCount(r.count())
                .setBbox(r.bbox() == null ? null : new BoundingBox(r.bbox()[0], r.bbox()[1], r.bbox()[2], r.bbox()[3]))
                .setReviewer(reviewer)
                .setDecidedAt(clock.instant())
                .setReason(r.reason())
                .build();
    }
}
