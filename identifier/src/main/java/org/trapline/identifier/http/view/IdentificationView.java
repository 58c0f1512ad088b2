package org.trapline.identifier.http.view;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.schema.IndividualUpdate;

/**
 * Who the animal on a photo is, as {@code POST /api/identify} answers: the decision, what was searched, the ranked
 * candidates with their profiles; {@code published} always false (nothing is), and {@code recorded} only when the
 * photo was also recorded through ingest.
 */
public record IdentificationView(String decision, String individualId, Float score, List<String> species, String site,
                                 List<Float> box, Set<String> decidingMatchers, boolean published,
                                 List<Candidate> candidates, @JsonInclude(JsonInclude.Include.NON_NULL) Recorded recorded) {

    /** A ranked candidate, with the decision it alone would lead to. */
    public record Candidate(int rank, String individualId, String name, String species, Map<String, Float> scores,
                            String decision, ProfileView profile) {
    }

    /** The photo as ingest took it: its answer whole, and the frame it made. */
    public record Recorded(String camera, String frameId, int ingestStatus, JsonNode ingest) {
    }

    /** Only under the state's lock, as the gallery and the desk are read. */
    public static IdentificationView of(PhotoIdentifier.Query query, PhotoIdentifier.Result result, Gallery gallery,
                                        ReviewDesk desk) {
        List<Candidate> candidates = result.candidates().stream().map(candidate -> {
            var individual = gallery.get(candidate.individualId());
            return new Candidate(candidate.rank(), candidate.individualId(), individual.map(IndividualUpdate::getName).orElse(null),
                    candidate.species(), candidate.scores(), candidate.decision().name(),
                    individual.map(i -> ProfileView.of(i, desk)).orElse(null));
        }).toList();
        return new IdentificationView(result.decision().name(), result.individualId(), result.score(), result.species(),
                query.site(), query.box() == null ? null : List.of(query.box().getX(), query.box().getY(),
                query.box().getWidth(), query.box().getHeight()), result.decidingMatchers(), false, candidates, null);
    }

    public IdentificationView recorded(Recorded recorded) {
        return new IdentificationView(decision, individualId, score, species, site, box, decidingMatchers, published,
                candidates, recorded);
    }
}
