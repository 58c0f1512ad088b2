package org.trapline.aggregator.review;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.trapline.aggregator.counts.FrameReview;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.BlobStore;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.HttpError;

/**
 * The reviewers' workbench API, beside {@link CorrectionRoutes} (which takes their decisions):
 *
 * <table>
 * <tr><td>{@code POST /api/session} {@code {"key": …}}</td><td>signs in: the session cookie (HttpOnly, SameSite=Strict)</td></tr>
 * <tr><td>{@code GET /api/session}, {@code DELETE /api/session}</td><td>who is signed in; signs out</td></tr>
 * <tr><td>{@code GET /api/review/queue?site=S[&camera=&species=&decision=&confidence=low|medium|high&from=&to=&audit=true&unreviewed=true&limit=]}</td>
 *     <td>frames to look at, oldest first</td></tr>
 * <tr><td>{@code GET /api/review/frames/{id}}</td><td>one frame: boxes, the networks' answers and scores, what reviewers decided</td></tr>
 * <tr><td>{@code GET /api/review/frames/{id}/image}</td><td>its image: the redacted copy, never one that shows a person</td></tr>
 * <tr><td>{@code GET /api/review/taxonomy?q=}</td><td>names to offer as a reviewer types</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/blank-audit}, {@code /species-accuracy}</td><td>what the reviews say of the networks</td></tr>
 * </table>
 * Everything but the last two needs a reviewer's or operator's key or session (a gateway's is refused, 403), and
 * a reviewer sees only the frames of its sites.
 */
public final class ReviewRoutes {

    private static final int MAX_LIMIT = 500;

    private final ApiKeyAuth auth;
    private final ReviewQueue queue;
    private final ReviewTaxonomy taxonomy;
    private final BlobStore blobs;
    private final Duration sessionLength;
    private final ObjectMapper json;

    public ReviewRoutes(ApiKeyAuth auth, ReviewQueue queue, ReviewTaxonomy taxonomy, BlobStore blobs, Duration sessionLength,
                        ObjectMapper json) {
        this.auth = auth;
        this.queue = queue;
        this.taxonomy = taxonomy;
        this.blobs = blobs;
        this.sessionLength = sessionLength;
        this.json = json;
    }

    public void routes(Javalin app) {
        app.post("/api/session", this::signIn);
        app.get("/api/session", ctx -> ctx.json(who(reviewer(ctx))));
        app.delete("/api/session", ctx -> {
            auth.signOut(ctx);
            ctx.status(204);
        });
        app.get("/api/review/queue", this::queue);
        app.get("/api/review/frames/{id}", ctx -> ctx.json(queue.frame(visible(ctx).frame().frameId()).orElseThrow()));
        app.get("/api/review/frames/{id}/image", this::image);
        app.get("/api/review/taxonomy", ctx -> {
            reviewer(ctx);
            ctx.json(taxonomy.suggest(ctx.queryParam("q"), 15));
        });
        app.get("/api/sites/{site}/blank-audit", ctx -> ctx.json(queue.blankAudit(ctx.pathParam("site"))));
        app.get("/api/sites/{site}/species-accuracy", ctx -> ctx.json(queue.speciesAccuracy(ctx.pathParam("site"))));
    }

    private void signIn(Context ctx) throws IOException {
        JsonNode body;
        try {
            body = json.readTree(ctx.body());
        } catch (IOException e) {
            throw new HttpError(400, "the body is {\"key\": \"…\"}");
        }
        JsonNode key = body == null ? null : body.get("key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw new HttpError(400, "the body is {\"key\": \"…\"}");
        }
        ctx.json(who(auth.signIn(ctx, key.asText().strip(), sessionLength)));
    }

    private static Map<String, Object> who(ApiKeys.Principal p) {
        return Map.of("name", p.name(), "role", p.role().name().toLowerCase(java.util.Locale.ROOT),
                "sites", p.operator() ? java.util.List.of(ApiKeys.EVERY_SITE) : p.sites());
    }

    /** Whoever may review at all; 401 without a key or session, 403 for a gateway's. */
    private ApiKeys.Principal reviewer(Context ctx) {
        return auth.requireReviewer(ctx);
    }

    private void queue(Context ctx) {
        String site = ctx.queryParam("site");
        if (site == null || site.isBlank()) {
            throw new HttpError(400, "the queue is a site's: ?site=…");
        }
        auth.requireReviewer(ctx, site);
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new HttpError(400, "limit '" + v + "' is not a number");
            }
        }).orElse(100);
        String confidence = ctx.queryParam("confidence");
        if (confidence != null && !java.util.Set.of("low", "medium", "high").contains(confidence)) {
            throw new HttpError(400, "confidence is low (below 0.5), medium (0.5 to 0.8) or high (0.8 and above), not '" + confidence + "'");
        }
        ctx.json(queue.queue(new ReviewQueue.Filter(site, blankToNull(ctx.queryParam("camera")), blankToNull(ctx.queryParam("species")),
                blankToNull(ctx.queryParam("decision")), confidence, instant(ctx, "from"), instant(ctx, "to"),
                "true".equals(ctx.queryParam("audit")), "true".equals(ctx.queryParam("unreviewed")),
                Math.max(1, Math.min(MAX_LIMIT, limit)))));
    }

    /** The frame, if it exists here and the caller may review its site (else 404, 401 or 403). */
    private FrameReview visible(Context ctx) {
        reviewer(ctx);
        FrameReview review = queue.review(ctx.pathParam("id"))
                .orElseThrow(() -> new HttpError(404, "no frame '" + ctx.pathParam("id") + "' here"));
        auth.requireReviewer(ctx, review.frame().siteId());
        return review;
    }

    private void image(Context ctx) throws IOException {
        FrameReview review = visible(ctx);
        ReviewQueue.FrameView view = ReviewQueue.view(review, false);
        if (!view.imageShown()) {
            throw new HttpError(403, "the image is held back: " + view.imageWithheld());
        }
        byte[] bytes = blobs.get(review.frame().blobUri())
                .orElseThrow(() -> new HttpError(404, "the frame's image is no longer in the blob store"));
        ctx.header("Cache-Control", "private, max-age=300");
        ctx.contentType("image/jpeg").result(bytes);
    }

    private static Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new HttpError(400, name + " is a date (2026-03-14) or an instant (2026-03-14T05:00:00Z), not '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
