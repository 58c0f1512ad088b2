package org.trapline.identifier.http;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.trapline.identifier.http.view.ChangeView;
import org.trapline.identifier.http.view.IndividualView;
import org.trapline.identifier.http.view.ProfileView;
import org.trapline.identifier.life.LifeHistoryEdit;
import org.trapline.identifier.life.LifeHistoryEdit.Field;
import org.trapline.identifier.review.ReviewException;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.schema.Sex;

/**
 * The gallery: its individuals for everyone who may read them, and the operators' decisions on them (merge, split,
 * name, confirm, life history), each answered with the state it left.
 *
 * <pre>
 * GET   /api/individuals[?species=S&amp;site=S]     the live individuals
 * GET   /api/individuals/{id}                    one's profile (with its young)
 * POST  /api/individuals/{id}/merge              {"from": …[, "sex": …]}: the other is this one
 * POST  /api/individuals/{id}/split              {"sightingIds": […][, "name": …]}: those are another animal (201)
 * PUT   /api/individuals/{id}/name               {"name": …}
 * POST  /api/individuals/{id}/confirm            a provisional individual is a real one
 * POST  /api/individuals/retire-unmarked[?dryRun=true]  retire the provisional individuals of unmarked species
 * PATCH /api/individuals/{id}/life-history       any of its fields
 * PUT   /api/individuals/{id}/{fact}             sex, age-class, birth, mother, status, marks: one fact and its date or kind
 * </pre>
 */
final class IndividualRoutes {

    /** Each life-history fact's route, and the fields it takes. */
    private static final Map<String, Set<Field>> LIFE_FACTS = Map.of(
            "sex", EnumSet.of(Field.SEX),
            "age-class", EnumSet.of(Field.AGE_CLASS, Field.AGE_ASSESSED_ON),
            "birth", EnumSet.of(Field.BIRTH_DATE, Field.BIRTH_DATE_KIND),
            "mother", EnumSet.of(Field.MOTHER),
            "status", EnumSet.of(Field.STATUS, Field.STATUS_DATE),
            "marks", EnumSet.of(Field.MARKS));
    /** The field each fact's route cannot do without. */
    private static final Map<String, Field> LIFE_FACT_REQUIRED = Map.of("sex", Field.SEX, "age-class", Field.AGE_CLASS,
            "birth", Field.BIRTH_DATE, "mother", Field.MOTHER, "status", Field.STATUS, "marks", Field.MARKS);

    private final IdentifierState state;
    private final Requests requests;
    private final Predicate<String> unmarked;

    /** @param unmarked whether a gallery's species is one the configuration says cannot be told apart */
    IndividualRoutes(IdentifierState state, Requests requests, Predicate<String> unmarked) {
        this.state = state;
        this.requests = requests;
        this.unmarked = unmarked;
    }

    void register(Javalin app) {
        app.get("/api/individuals", ctx -> {
            String species = ctx.queryParam("species");
            String site = ctx.queryParam("site");
            ctx.json(state.locked(() -> state.gallery().live().stream()
                    .filter(i -> species == null || i.getSpecies().equalsIgnoreCase(species))
                    .filter(i -> site == null || i.getSiteIds().contains(site))
                    .map(IndividualView::of).toList()));
        });
        app.get("/api/individuals/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Requests.found(ctx, state.locked(() -> state.gallery().get(id).map(i -> ProfileView.of(i, state.desk())).orElse(null)),
                    "no individual '" + id + "'");
        });
        app.post("/api/individuals/{id}/merge", ctx -> {
            String survivor = ctx.pathParam("id");
            JsonNode body = requests.body(ctx);
            String absorbed = Requests.requiredText(body, "from");
            Sex sex = sexNamed(ctx, body);
            requests.decide(ctx, desk -> desk.merge(survivor, absorbed, sex, requests.reviewer(ctx)), 200);
        });
        app.patch("/api/individuals/{id}/life-history", ctx -> {
            String id = ctx.pathParam("id");
            LifeHistoryEdit edit = LifeHistoryEdit.fromJson(requests.body(ctx), EnumSet.allOf(Field.class), Set.of());
            requests.decide(ctx, desk -> desk.editLifeHistory(id, edit, requests.reviewer(ctx)), 200);
        });
        for (Map.Entry<String, Set<Field>> fact : LIFE_FACTS.entrySet()) {
            app.put("/api/individuals/{id}/" + fact.getKey(), ctx -> {
                String id = ctx.pathParam("id");
                LifeHistoryEdit edit = LifeHistoryEdit.fromJson(requests.body(ctx), fact.getValue(),
                        Set.of(LIFE_FACT_REQUIRED.get(fact.getKey())));
                requests.decide(ctx, desk -> desk.editLifeHistory(id, edit, requests.reviewer(ctx)), 200);
            });
        }
        app.post("/api/individuals/{id}/split", ctx -> {
            JsonNode body = requests.body(ctx);
            JsonNode ids = body.get("sightingIds");
            if (ids == null || !ids.isArray()) {
                throw new ReviewException(400, "sightingIds: the sightings that are another animal, as a JSON array");
            }
            List<String> sightingIds = new ArrayList<>();
            ids.forEach(n -> sightingIds.add(n.asText()));
            String name = body.hasNonNull("name") ? body.get("name").asText() : null;
            String original = ctx.pathParam("id");
            requests.decide(ctx, desk -> desk.split(original, sightingIds, name, requests.reviewer(ctx)), 201);
        });
        app.put("/api/individuals/{id}/name", ctx -> {
            String id = ctx.pathParam("id");
            String name = Requests.requiredText(requests.body(ctx), "name");
            requests.decide(ctx, desk -> desk.rename(id, name, requests.reviewer(ctx)), 200);
        });
        // the one-off command for a gallery made before its species were unmarked (the service also runs it on start):
        // dryRun says what it would retire and changes nothing
        app.post("/api/individuals/retire-unmarked", ctx -> {
            String reviewer = requests.reviewer(ctx);
            if (Boolean.parseBoolean(ctx.queryParam("dryRun"))) {
                ctx.json(ChangeView.of(state.locked(() -> state.desk().retireUnmarked(unmarked, reviewer))));
            } else {
                requests.decide(ctx, desk -> desk.retireUnmarked(unmarked, reviewer), 200);
            }
        });
        app.post("/api/individuals/{id}/confirm", ctx -> {
            String id = ctx.pathParam("id");
            requests.decide(ctx, desk -> desk.confirmIndividual(id, requests.reviewer(ctx)), 200);
        });
    }

    /** The sex a merge request says the animal is: {@code sex} in the body or the query, or none. */
    private static Sex sexNamed(Context ctx, JsonNode body) throws ReviewException {
        String named = body.hasNonNull("sex") ? body.get("sex").asText() : ctx.queryParam("sex");
        if (named == null || named.isBlank()) {
            return null;
        }
        try {
            return Sex.valueOf(named.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ReviewException(400, "sex is FEMALE, MALE or UNKNOWN, not '" + named + "'");
        }
    }
}
