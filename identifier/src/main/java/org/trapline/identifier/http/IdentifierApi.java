package org.trapline.identifier.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.JpegEncoder;
import org.trapline.identifier.IdentifierService;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.identifier.review.ReviewException;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sighting;

/**
 * The identifier's HTTP API: the review queue and the gallery for everyone who may read them, and the
 * decisions (confirm, reject, merge, split, name) for operators, each answered with the state it left.
 * Crops shown to reviewers come from the frame the detector published, which is the redacted copy
 * whenever a person was on it.
 */
public final class IdentifierApi {

    private final IdentifierService service;
    private final ApiKeys keys;
    private final Crops crops;
    private final PrometheusMeterRegistry metrics;
    private final ObjectMapper json = new ObjectMapper();
    private final Javalin app;

    public IdentifierApi(IdentifierService service, ApiKeys keys, Crops crops, PrometheusMeterRegistry metrics) {
        this.service = service;
        this.keys = keys;
        this.crops = crops;
        this.metrics = metrics;
        this.app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, true));
        });
        routes();
    }

    public void start(String host, int port) {
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    private void routes() {
        app.get("/health", ctx -> ctx.status(service.alive() ? 200 : 503).json(Map.of("status", service.alive() ? "UP" : "DOWN")));
        app.get("/ready", ctx -> ctx.status(service.alive() ? 200 : 503));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

        app.get("/api/review", ctx -> ctx.json(service.locked(() -> service.desk().queue().stream()
                .map(s -> queued(s, service.gallery())).toList())));
        app.post("/api/review/{sighting}/confirm", ctx -> {
            String sighting = ctx.pathParam("sighting");
            String individual = requiredText(body(ctx), "individualId");
            decide(ctx, desk -> desk.confirm(sighting, individual, reviewer(ctx)), 200);
        });
        app.post("/api/review/{sighting}/reject", ctx -> {
            String sighting = ctx.pathParam("sighting");
            decide(ctx, desk -> desk.reject(sighting, reviewer(ctx)), 200);
        });

        app.get("/api/individuals", ctx -> {
            String species = ctx.queryParam("species");
            String site = ctx.queryParam("site");
            ctx.json(service.locked(() -> service.gallery().live().stream()
                    .filter(i -> species == null || i.getSpecies().equalsIgnoreCase(species))
                    .filter(i -> site == null || i.getSiteIds().contains(site))
                    .map(IdentifierApi::individual).toList()));
        });
        app.get("/api/individuals/{id}", ctx -> {
            Optional<IndividualUpdate> found = service.locked(() -> service.gallery().get(ctx.pathParam("id")));
            found.ifPresentOrElse(i -> ctx.json(individual(i)),
                    () -> error(ctx, 404, "no individual '" + ctx.pathParam("id") + "'"));
        });
        app.post("/api/individuals/{id}/merge", ctx -> {
            String survivor = ctx.pathParam("id");
            String absorbed = requiredText(body(ctx), "from");
            decide(ctx, desk -> desk.merge(survivor, absorbed, reviewer(ctx)), 200);
        });
        app.post("/api/individuals/{id}/split", ctx -> {
            JsonNode body = body(ctx);
            JsonNode ids = body.get("sightingIds");
            if (ids == null || !ids.isArray()) {
                throw new ReviewException(400, "sightingIds: the sightings that are another animal, as a JSON array");
            }
            List<String> sightingIds = new java.util.ArrayList<>();
            ids.forEach(n -> sightingIds.add(n.asText()));
            String name = body.hasNonNull("name") ? body.get("name").asText() : null;
            String original = ctx.pathParam("id");
            decide(ctx, desk -> desk.split(original, sightingIds, name, reviewer(ctx)), 201);
        });
        app.put("/api/individuals/{id}/name", ctx -> {
            String id = ctx.pathParam("id");
            String name = requiredText(body(ctx), "name");
            decide(ctx, desk -> desk.rename(id, name, reviewer(ctx)), 200);
        });
        app.post("/api/individuals/{id}/confirm", ctx -> {
            String id = ctx.pathParam("id");
            decide(ctx, desk -> desk.confirmIndividual(id, reviewer(ctx)), 200);
        });

        app.get("/api/sightings/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Map<String, Object> view = service.locked(() -> sighting(id));
            if (view == null) {
                error(ctx, 404, "sighting '" + id + "' is neither waiting for review nor any individual's");
            } else {
                ctx.json(view);
            }
        });
        app.get("/api/sightings/{id}/crop.jpg", ctx -> {
            String id = ctx.pathParam("id");
            Optional<ReferenceCrop> where = service.locked(() -> cropOf(id));
            if (where.isEmpty()) {
                error(ctx, 404, "no crop known for sighting '" + id + "'");
                return;
            }
            ctx.contentType("image/jpeg").result(JpegEncoder.encode(crops.crop(where.get().getBlob(), where.get().getBbox())));
        });

        app.exception(ReviewException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(IOException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
    }

    /** Runs an operator's decision and answers with the individuals it left. */
    private void decide(Context ctx, IdentifierService.Decision decision, int status) throws ReviewException {
        reviewer(ctx);
        ReviewDesk.Change change = service.review(decision);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("individuals", change.individuals().stream().map(IdentifierApi::individual).toList());
        answer.put("sightings", change.sightings().stream().map(s -> Map.of("sightingId", s.getSightingId(),
                "decision", s.getDecision().name(), "individualId", String.valueOf(s.getIndividualId()))).toList());
        ctx.status(status).json(answer);
    }

    /** The operator behind the request's key; 401 without a valid key, 403 for a gateway's. */
    private String reviewer(Context ctx) throws ReviewException {
        Optional<ApiKeys.Principal> principal = keys.authenticate(ctx.header("X-Api-Key"));
        if (principal.isEmpty()) {
            throw new ReviewException(401, "an operator's key is needed (X-Api-Key)");
        }
        if (!principal.get().operator()) {
            throw new ReviewException(403, "only operators may change the gallery");
        }
        return principal.get().name();
    }

    private JsonNode body(Context ctx) throws ReviewException {
        try {
            JsonNode body = json.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
            if (!body.isObject()) {
                throw new ReviewException(400, "the body must be a JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ReviewException(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String requiredText(JsonNode body, String field) throws ReviewException {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ReviewException(400, "'" + field + "' is required");
        }
        return value.asText();
    }

    private Map<String, Object> sighting(String id) {
        Gallery gallery = service.gallery();
        Optional<Sighting> waiting = service.desk().queued(id);
        Optional<IndividualUpdate> owner = gallery.ownerOfSighting(id);
        if (waiting.isEmpty() && owner.isEmpty()) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sightingId", id);
        view.put("status", waiting.isPresent() ? "REVIEW" : "IDENTIFIED");
        view.put("individualId", owner.map(IndividualUpdate::getIndividualId).orElse(null));
        view.put("individualName", owner.map(IndividualUpdate::getName).orElse(null));
        return view;
    }

    private Optional<ReferenceCrop> cropOf(String sightingId) {
        Optional<Sighting> waiting = service.desk().queued(sightingId);
        if (waiting.isPresent()) {
            Sighting s = waiting.get();
            return Optional.of(ReferenceCrop.newBuilder().setSightingId(sightingId).setFrameId(s.getDetection().getFrameId())
                    .setBlob(s.getDetection().getBlob()).setBbox(s.getDetection().getBbox()).build());
        }
        return service.gallery().ownerOfSighting(sightingId).flatMap(i -> i.getReferences().stream()
                .filter(r -> sightingId.equals(r.getSightingId())).findFirst());
    }

    private static Map<String, Object> queued(Sighting sighting, Gallery gallery) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sightingId", sighting.getSightingId());
        view.put("siteId", sighting.getSiteId());
        view.put("cameraId", sighting.getCameraId());
        view.put("time", sighting.getTime().toString());
        view.put("species", sighting.getSpeciesLabel());
        view.put("scientificName", sighting.getScientificName());
        view.put("eventId", sighting.getEventId());
        view.put("score", sighting.getMatchScore());
        view.put("crop", "/api/sightings/" + sighting.getSightingId() + "/crop.jpg");
        view.put("candidates", sighting.getCandidates().stream().map(c -> {
            Map<String, Object> candidate = new LinkedHashMap<>();
            candidate.put("individualId", c.getIndividualId());
            // the candidate as it stands now: it may have been named or merged since
            Optional<IndividualUpdate> now = gallery.resolve(c.getIndividualId());
            candidate.put("currentId", now.map(IndividualUpdate::getIndividualId).orElse(null));
            candidate.put("name", now.map(IndividualUpdate::getName).orElse(null));
            candidate.put("score", c.getScore());
            candidate.put("matcher", c.getMatcher());
            return candidate;
        }).toList());
        return view;
    }

    static Map<String, Object> individual(IndividualUpdate individual) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("individualId", individual.getIndividualId());
        view.put("name", individual.getName());
        view.put("species", individual.getSpecies());
        view.put("status", individual.getStatus().name());
        view.put("lastChange", individual.getChange().name());
        view.put("updated", individual.getTime().toString());
        view.put("siteIds", individual.getSiteIds());
        view.put("sightingIds", individual.getSightingIds());
        view.put("mergedInto", individual.getMergedInto());
        view.put("mergedFrom", individual.getMergedFrom());
        view.put("splitFrom", individual.getSplitFrom());
        view.put("references", individual.getReferences().stream().map(r -> Map.of(
                "sightingId", String.valueOf(r.getSightingId()), "frameId", r.getFrameId(),
                "crop", r.getSightingId() == null ? "" : "/api/sightings/" + r.getSightingId() + "/crop.jpg")).toList());
        return view;
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("status", status, "error", message));
    }
}
