package org.trapline.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.ingest.IngestComponents;
import org.trapline.auth.ApiKeys;
import org.trapline.catalog.Camera;
import org.trapline.catalog.CatalogException;
import org.trapline.catalog.Deployment;
import org.trapline.catalog.Site;
import org.trapline.catalog.SiteCatalog;
import org.trapline.ingest.frames.FrameIngestor;
import org.trapline.ingest.frames.Rejection;
import org.trapline.ingest.video.ClipIngestor;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpError;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.schema.Frame;

/**
 * The HTTP face of ingest: gateways upload images and clips and operators keep the site catalog, each with its
 * API key; health, readiness and metrics are answered as every service answers them ({@link ServiceHttp}). An
 * upload is answered 201 only once its bytes are durable and Kafka has acknowledged its frame; every refusal names
 * its reason.
 */
public final class IngestApi {

    private static final Logger log = LoggerFactory.getLogger(IngestApi.class);
    private static final String PRINCIPAL = "principal";

    private final IngestComponents parts;
    private final SiteCatalog catalog;
    private final ApiKeyAuth auth;
    private final double defaultFps;

    public IngestApi(IngestComponents parts, ApiKeyAuth auth, double defaultFps) {
        this.parts = parts;
        this.catalog = parts.catalog();
        this.auth = auth;
        this.defaultFps = defaultFps;
    }

    /** The largest request Jetty takes: Trapline checks sizes itself, with a precise answer; Jetty's limit only stops abuse. */
    public static long maxRequestSize(IngestComponents parts) {
        return Math.max(parts.maxImageBytes(), parts.maxClipBytes()) + 1_048_576;
    }

    /** The routes, on the service's server. */
    public void register(Javalin app) {
        app.before("/api/*", ctx -> ctx.attribute(PRINCIPAL, auth.authenticate(ctx)));
        app.post("/api/frames", this::uploadImage);
        app.post("/api/clips", this::uploadClip);
        app.get("/api/catalog", ctx -> ctx.json(catalog.contents()));
        app.put("/api/sites/{id}", ctx -> {
            requireOperator(ctx);
            Site site = ctx.bodyAsClass(Site.class);
            ctx.json(catalog.putSite(new Site(ctx.pathParam("id"), site.name(), site.latitude(), site.longitude(),
                    site.timeZone(), site.country())));
        });
        app.put("/api/cameras/{id}", ctx -> {
            requireOperator(ctx);
            Camera camera = ctx.bodyAsClass(Camera.class);
            ctx.json(catalog.putCamera(new Camera(ctx.pathParam("id"), camera.siteId(), camera.make(), camera.model(),
                    camera.clockOffsetSeconds())));
        });
        app.put("/api/deployments/{id}", ctx -> {
            requireOperator(ctx);
            Deployment d = ctx.bodyAsClass(Deployment.class);
            ctx.json(catalog.putDeployment(new Deployment(ctx.pathParam("id"), d.cameraId(), d.siteId(), d.start(), d.end())));
        });

        app.exception(Rejection.class, (e, ctx) -> ServiceHttp.error(ctx, e.kind().status, e.getMessage()));
        app.exception(CatalogException.class, (e, ctx) -> ServiceHttp.error(ctx, 422, e.getMessage()));
        app.exception(IOException.class, (e, ctx) -> {
            log.error("upload not stored", e);
            ServiceHttp.error(ctx, 503, "not stored, try again: " + e.getMessage());
        });
        app.exception(io.javalin.http.BadRequestResponse.class, (e, ctx) -> ServiceHttp.error(ctx, 400, e.getMessage()));
    }

    private static void requireOperator(Context ctx) {
        ApiKeys.Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null || !principal.operator()) {
            throw new HttpError(403, "only an operator's key may change the site catalog");
        }
    }

    private void uploadImage(Context ctx) throws Rejection, IOException {
        Body body = body(ctx, parts.maxImageBytes(), "ingest.max.image.bytes");
        String camera = permittedCamera(ctx, body);
        FrameIngestor.Result result = parts.frames().ingest(FrameIngestor.Upload.image(camera, body.param("site"),
                body.bytes(), body.fileName(), gatewayTime(body.param("captureTime"))));
        ctx.status(result.duplicate() ? 200 : 201).json(describe(result.frame(), result.duplicate(), result.warnings()));
    }

    private void uploadClip(Context ctx) throws Rejection, IOException {
        Body body = body(ctx, parts.maxClipBytes(), "ingest.max.clip.bytes");
        String camera = permittedCamera(ctx, body);
        double fps = Optional.ofNullable(body.param("fps")).map(IngestApi::number).orElse(defaultFps);
        ClipIngestor.Result result = parts.clips().ingest(camera, body.param("site"), body.bytes(), body.fileName(),
                gatewayTime(body.param("captureTime")), fps);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("clipId", result.clipId());
        answer.put("sha256", result.sha256());
        answer.put("duplicate", result.duplicate());
        answer.put("frames", result.frames().stream().map(r -> describe(r.frame(), r.duplicate(), r.warnings())).toList());
        ctx.status(result.duplicate() ? 200 : 201).json(answer);
    }

    private static String permittedCamera(Context ctx, Body body) {
        String camera = body.param("camera");
        ApiKeys.Principal principal = ctx.attribute(PRINCIPAL);
        if (principal.role() == ApiKeys.Role.REVIEWER) {
            throw new HttpError(403, "key '" + principal.name() + "' is a reviewer's: it corrects frames, it does not upload them");
        }
        if (camera != null && !principal.mayUse(camera)) {
            throw new HttpError(403, "key '" + principal.name() + "' may not upload for camera '" + camera + "'");
        }
        return camera;
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "fps '" + value + "' is not a number");
        }
    }

    static Map<String, Object> describe(Frame frame, boolean duplicate, java.util.List<String> warnings) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("frameId", frame.getFrameId());
        answer.put("duplicate", duplicate);
        answer.put("cameraId", frame.getCameraId());
        answer.put("siteId", frame.getSiteId());
        answer.put("deploymentId", frame.getDeploymentId());
        answer.put("sha256", frame.getContentSha256());
        answer.put("captureTime", frame.getCaptureTime().toString());
        answer.put("captureTimeSource", frame.getCaptureTimeSource().name());
        answer.put("width", frame.getWidth());
        answer.put("height", frame.getHeight());
        answer.put("blob", frame.getBlob().getStore() + ":" + frame.getBlob().getUri());
        if (frame.getVideo() != null) {
            answer.put("clipId", frame.getVideo().getClipId());
            answer.put("frameNumber", frame.getVideo().getFrameNumber());
            answer.put("frameTimeMillis", frame.getVideo().getFrameTimeMillis());
        }
        answer.put("warnings", warnings);
        return answer;
    }

    private static Optional<Instant> gatewayTime(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new HttpError(400, "captureTime '" + value + "' is not an ISO-8601 instant such as 2026-03-14T05:42:17Z");
        }
    }

    /** The upload, raw or multipart, read up to the size limit (so an oversize body is never held whole). */
    private record Body(Context ctx, byte[] bytes, String fileName) {
        String param(String name) {
            return Optional.ofNullable(ctx.queryParam(name)).orElseGet(() -> ctx.isMultipartFormData() ? ctx.formParam(name) : null);
        }
    }

    private static Body body(Context ctx, long limit, String limitSetting) throws IOException, Rejection {
        if (ctx.isMultipartFormData()) {
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null) {
                throw new HttpError(400, "multipart upload without a 'file' part");
            }
            try (InputStream in = file.content()) {
                return new Body(ctx, readLimited(in, file.size(), limit, limitSetting), file.filename());
            }
        }
        try (InputStream in = ctx.bodyInputStream()) {
            return new Body(ctx, readLimited(in, ctx.contentLength(), limit, limitSetting),
                    Optional.ofNullable(ctx.header("X-File-Name")).orElse(null));
        }
    }

    private static byte[] readLimited(InputStream in, long declared, long limit, String limitSetting)
            throws IOException, Rejection {
        if (declared > limit) {
            throw tooLarge(declared, limit, limitSetting);
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw tooLarge(bytes.length, limit, limitSetting);
        }
        if (bytes.length == 0) {
            throw new HttpError(400, "empty upload: the body holds nothing");
        }
        return bytes;
    }

    private static Rejection tooLarge(long size, long limit, String limitSetting) {
        return new Rejection(Rejection.Kind.TOO_LARGE, "upload of " + size + " bytes exceeds the limit of "
                + limit + " bytes (" + limitSetting + ")");
    }
}
