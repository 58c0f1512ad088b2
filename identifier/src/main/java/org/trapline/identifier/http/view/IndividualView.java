package org.trapline.identifier.http.view;

import java.util.List;

import org.trapline.schema.IndividualUpdate;

/** An individual as the API shows it: the gallery's latest state of it. */
public record IndividualView(String individualId, String name, String species, String status, String lastChange,
                             String updated, List<String> siteIds, List<String> sightingIds, String mergedInto,
                             List<String> mergedFrom, String splitFrom, List<ReferenceView> references, String firstSeen,
                             String lastSeen, LifeHistoryView lifeHistory) {

    public static IndividualView of(IndividualUpdate individual) {
        return new IndividualView(individual.getIndividualId(), individual.getName(), individual.getSpecies(),
                individual.getStatus().name(), individual.getChange().name(), individual.getTime().toString(),
                individual.getSiteIds(), individual.getSightingIds(), individual.getMergedInto(), individual.getMergedFrom(),
                individual.getSplitFrom(), individual.getReferences().stream().map(ReferenceView::of).toList(),
                text(individual.getFirstSeen()), text(individual.getLastSeen()), LifeHistoryView.of(individual.getLifeHistory()));
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
