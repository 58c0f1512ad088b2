package org.trapline.identifier.http;

import java.io.IOException;
import java.net.URI;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.review.ReviewException;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.identifier.state.ReviewTransactions;
import org.trapline.runtime.http.ApiKeyAuth;
import org.trapline.runtime.http.ServiceHttp;
import org.trapline.runtime.metrics.ServiceMetrics;

/**
 * The identifier's HTTP API: the review queue and the sightings ({@link ReviewRoutes}), the gallery and the
 * operators' decisions on it ({@link IndividualRoutes}), and the identification of a photo ({@link PhotoRoutes}),
 * beside the health, readiness and metrics every service answers. A refusal is {@code {"status", "error"}}: a
 * decision the gallery does not allow with its {@link ReviewException}'s status, a photo no matcher can look at
 * 422, a store that failed 503.
 */
public final class IdentifierApi {

    private IdentifierApi() {
    }

    /**
     * @param maxImageBytes the largest photo {@code POST /api/identify} takes (identifier.identify.max.image.bytes)
     * @param ingestUrl     where a photo to record is sent (identifier.ingest.url)
     * @param unmarked      whether a gallery's species is one the configuration says cannot be told apart
     */
    public static ServiceHttp create(IdentifierState state, ReviewTransactions reviews, PhotoIdentifier photos, Crops crops,
                                     ApiKeyAuth auth, ServiceMetrics metrics, BooleanSupplier loopAlive, long maxImageBytes,
                                     URI ingestUrl, Predicate<String> unmarked) {
        ObjectMapper json = ServiceHttp.jsonMapper();
        ServiceHttp http = ServiceHttp.builder(metrics).json(json).alive(loopAlive).ready("loop", loopAlive)
                // the photo's size is checked by the route, with a precise answer; Jetty's own limit only stops abuse
                .maxRequestSize(maxImageBytes + 1_048_576)
                .build();
        Requests requests = new Requests(auth, json, reviews);
        new ReviewRoutes(state, requests, crops).register(http.app());
        new IndividualRoutes(state, requests, unmarked).register(http.app());
        new PhotoRoutes(state, photos, json, ingestUrl, maxImageBytes, metrics.registry()).register(http.app());
        http.app().exception(ReviewException.class, (e, ctx) -> ServiceHttp.error(ctx, e.status(), e.getMessage()));
        http.app().exception(Matcher.MatchException.class, (e, ctx) -> ServiceHttp.error(ctx, 422,
                "the photo could not be matched: " + e.getMessage()));
        http.app().exception(IOException.class, (e, ctx) -> ServiceHttp.error(ctx, 503, e.getMessage()));
        return http;
    }
}
