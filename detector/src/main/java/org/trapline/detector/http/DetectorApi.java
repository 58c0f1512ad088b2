package org.trapline.detector.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.trapline.config.TraplineConfig;
import org.trapline.detector.export.MegaDetectorExport;
import org.trapline.detector.repeat.RepeatDetections;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.ServiceHttp;

/**
 * The detector's own routes, beside the health, readiness and metrics every service answers:
 *
 * <pre>
 * GET  /api/repeat-detections[?camera=C]                 places where boxes recur, for review
 * POST /api/repeat-detections/{camera}/{place}/allow     an operator's: that place's boxes are real after all
 * GET  /api/exports/megadetector?site=S[&amp;from=&amp;to=]      a site's detections as MegaDetector batch output (1.4)
 * </pre>
 */
public final class DetectorApi {

    private final RepeatDetections repeats;
    private final ApiKeyAuth auth;
    private final TraplineConfig config;
    private final float animalThreshold;

    /** @param config where the export reads the published detections from; {@code animalThreshold} what it lists */
    public DetectorApi(RepeatDetections repeats, ApiKeyAuth auth, TraplineConfig config, float animalThreshold) {
        this.repeats = repeats;
        this.auth = auth;
        this.config = config;
        this.animalThreshold = animalThreshold;
    }

    public void register(Javalin app) {
        app.get("/api/repeat-detections", ctx -> ctx.json(ctx.queryParam("camera") == null ? repeats.review()
                : repeats.review(ctx.queryParam("camera"))));
        app.get("/api/exports/megadetector", this::megadetector);
        app.post("/api/repeat-detections/{camera}/{place}/allow", ctx -> {
            if (!auth.operator(ctx)) {
                ServiceHttp.error(ctx, 403, "only an operator's key (X-Api-Key) may allow a place");
                return;
            }
            repeats.allow(ctx.pathParam("camera"), ctx.pathParam("place")).ifPresentOrElse(ctx::json,
                    () -> ServiceHttp.error(ctx, 404, "no such place on camera '" + ctx.pathParam("camera") + "'"));
        });
    }

    private void megadetector(Context ctx) {
        String site = ctx.queryParam("site");
        if (site == null || site.isBlank()) {
            ServiceHttp.error(ctx, 400, "which site? /api/exports/megadetector?site=S[&from=ISO][&to=ISO]");
            return;
        }
        try {
            var query = new MegaDetectorExport.Query(site, instant(ctx.queryParam("from")), instant(ctx.queryParam("to")));
            ctx.json(MegaDetectorExport.export(config, query, animalThreshold));
        } catch (DateTimeParseException e) {
            ServiceHttp.error(ctx, 400, "from and to are ISO-8601 instants: " + e.getParsedString());
        }
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value);
    }
}
