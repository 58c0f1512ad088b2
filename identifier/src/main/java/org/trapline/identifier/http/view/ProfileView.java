package org.trapline.identifier.http.view;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.schema.IndividualUpdate;

/** An individual as its profile shows it: its state, then its young (the individuals whose mother it is). */
public record ProfileView(@JsonUnwrapped IndividualView individual, List<String> young) {

    /** Only under the state's lock, as the desk is read. */
    public static ProfileView of(IndividualUpdate individual, ReviewDesk desk) {
        return new ProfileView(IndividualView.of(individual), desk.lives().young(individual.getIndividualId()).stream()
                .map(IndividualUpdate::getIndividualId).toList());
    }
}
