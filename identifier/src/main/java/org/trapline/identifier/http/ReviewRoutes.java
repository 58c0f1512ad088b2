package org.trapline.identifier.http;

import java.util.Optional;

import io.javalin.Javalin;
import org.trapline.blob.JpegEncoder;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.http.view.QueuedSightingView;
import org.trapline.identifier.http.view.SightingView;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sighting;

/**
 * The review queue and the sightings: what waits for a reviewer (with its crop) for everyone who may read it, and
 * the reviewer's confirmation or rejection for operators. Crops come from the frame the detector published, which is
 * the redacted copy whenever a person was on it, and only ever of an animal's box.
 *
 * <pre>
 * GET  /api/review                          the queue, oldest first
 * POST /api/review/{sighting}/confirm       {"individualId": …}: it is that individual
 * POST /api/review/{sighting}/reject        it is none of its candidates: a new one
 * GET  /api/sightings/{id}                  waiting for review, or whose it is
 * GET  /api/sightings/{id}/crop.jpg         the animal's crop
 * </pre>
 */
final class ReviewRoutes {

    private final IdentifierState state;
    private final Requests requests;
    private final Crops crops;

    ReviewRoutes(IdentifierState state, Requests requests, Crops crops) {
        this.state = state;
        this.requests = requests;
        this.crops = crops;
    }

    void register(Javalin app) {
        app.get("/api/review", ctx -> ctx.json(state.locked(() -> state.desk().queue().stream()
                .map(s -> QueuedSightingView.of(s, state.gallery())).toList())));
        app.post("/api/review/{sighting}/confirm", ctx -> {
            String sighting = ctx.pathParam("sighting");
            String individual = Requests.requiredText(requests.body(ctx), "individualId");
            requests.decide(ctx, desk -> desk.confirm(sighting, individual, requests.reviewer(ctx)), 200);
        });
        app.post("/api/review/{sighting}/reject", ctx -> {
            String sighting = ctx.pathParam("sighting");
            requests.decide(ctx, desk -> desk.reject(sighting, requests.reviewer(ctx)), 200);
        });
        app.get("/api/sightings/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Requests.found(ctx, state.locked(() -> sighting(id)),
                    "sighting '" + id + "' is neither waiting for review nor any individual's");
        });
        app.get("/api/sightings/{id}/crop.jpg", ctx -> {
            String id = ctx.pathParam("id");
            Optional<ReferenceCrop> where = state.locked(() -> cropOf(id));
            if (where.isEmpty()) {
                ServiceHttp.error(ctx, 404, "no crop known for sighting '" + id + "'");
                return;
            }
            ctx.contentType("image/jpeg").result(JpegEncoder.encode(crops.crop(where.get().getBlob(), where.get().getBbox())));
        });
    }

    private SightingView sighting(String id) {
        Optional<Sighting> waiting = state.desk().queued(id);
        Optional<IndividualUpdate> owner = state.gallery().ownerOfSighting(id);
        if (waiting.isEmpty() && owner.isEmpty()) {
            return null;
        }
        return new SightingView(id, waiting.isPresent() ? "REVIEW" : "IDENTIFIED",
                owner.map(IndividualUpdate::getIndividualId).orElse(null), owner.map(IndividualUpdate::getName).orElse(null));
    }

    private Optional<ReferenceCrop> cropOf(String sightingId) {
        Optional<Sighting> waiting = state.desk().queued(sightingId);
        if (waiting.isPresent()) {
            Sighting s = waiting.get();
            return Optional.of(ReferenceCrop.newBuilder().setSightingId(sightingId).setFrameId(s.getDetection().getFrameId())
                    .setBlob(s.getDetection().getBlob()).setBbox(s.getDetection().getBbox()).build());
        }
        return state.gallery().ownerOfSighting(sightingId).flatMap(i -> i.getReferences().stream()
                .filter(r -> sightingId.equals(r.getSightingId())).findFirst());
    }
}
