package org.trapline.identifier.http.view;

import java.util.List;

import org.trapline.identifier.review.ReviewDesk;

/** What an operator's decision left: the individuals it changed and the sightings it published again. */
public record ChangeView(List<IndividualView> individuals, List<ChangedSighting> sightings) {

    /** A sighting as the decision published it; {@code individualId} is "null" when it is nobody's. */
    public record ChangedSighting(String sightingId, String decision, String individualId) {
    }

    public static ChangeView of(ReviewDesk.Change change) {
        return new ChangeView(change.individuals().stream().map(IndividualView::of).toList(),
                change.sightings().stream().map(s -> new ChangedSighting(s.getSightingId(), s.getDecision().name(),
                        String.valueOf(s.getIndividualId()))).toList());
    }
}
