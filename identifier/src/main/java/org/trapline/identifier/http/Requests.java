package org.trapline.identifier.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import org.trapline.identifier.http.view.ChangeView;
import org.trapline.identifier.review.ReviewException;
import org.trapline.identifier.state.ReviewTransactions;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.ServiceHttp;

/**
 * What the identifier's routes read of a request (its JSON body, the reviewer behind its key) and how a reviewer's
 * decision is run and answered.
 */
final class Requests {

    private final ApiKeyAuth auth;
    private final ObjectMapper json;
    private final ReviewTransactions reviews;

    Requests(ApiKeyAuth auth, ObjectMapper json, ReviewTransactions reviews) {
        this.auth = auth;
        this.json = json;
        this.reviews = reviews;
    }

    /** Runs an operator's decision and answers with the individuals it left. */
    void decide(Context ctx, ReviewTransactions.Decision decision, int status) throws ReviewException {
        reviewer(ctx);
        ctx.status(status).json(ChangeView.of(reviews.review(decision)));
    }

    /**
     * Who may change the gallery: an operator, or a reviewer of every site (an individual is seen at many
     * sites, so a reviewer bound to some may not decide about it); 401 without a valid key, 403 otherwise.
     */
    String reviewer(Context ctx) {
        return auth.requireReviewerOfEverySite(ctx, "the gallery is changed by an operator or a reviewer of every site "
                + "(ingest.reviewer.NAME.sites = *)").name();
    }

    /** The body, a JSON object ({} when empty). */
    JsonNode body(Context ctx) throws ReviewException {
        try {
            JsonNode body = json.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
            if (!body.isObject()) {
                throw new ReviewException(400, "the body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new ReviewException(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** The view found, or a 404 that says what was not. */
    static void found(Context ctx, Object view, String missing) {
        if (view == null) {
            ServiceHttp.error(ctx, 404, missing);
        } else {
            ctx.json(view);
        }
    }

    static String requiredText(JsonNode body, String field) throws ReviewException {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ReviewException(400, "'" + field + "' is required");
        }
        return value.asText();
    }
}
