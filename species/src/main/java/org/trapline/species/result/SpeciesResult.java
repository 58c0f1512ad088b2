package org.trapline.species.result;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;

/**
 * The species stage's answer for one detection box.
 *
 * @param kind       an animal, or the classifier's blank / human / vehicle answer
 * @param label      the answer's common name ("cougar", "cat family", "animal", "blank")
 * @param taxon      the animal's taxon at {@code rank}; null unless {@code kind} is ANIMAL
 * @param rank       the lowest rank whose summed score cleared its threshold; null unless an animal
 * @param score      the answer's score: the classifier's probability summed over every class under the
 *                   answer, or the detector's confidence when the detector's answer stands
 * @param source     what decided, as SpeciesNet's prediction source: "classifier",
 *                   "classifier+rollup_to_family", "classifier+geofence+rollup_to_genus", "detector"
 * @param top5       the classifier's five best classes, before rollup and geofence
 * @param classifier the classifier's name and version
 * @param flags      what a reviewer should know
 */
public record SpeciesResult(LabelKind kind, String label, Taxon taxon, Rank rank, float score, String source,
                            List<ClassScore> top5, ClassifierInfo classifier, Set<Flag> flags) {

    public SpeciesResult {
        if ((kind == LabelKind.ANIMAL) != (taxon != null) || (taxon == null) != (rank == null)) {
            throw new IllegalArgumentException("an animal answer has a taxon and a rank, nothing else has them");
        }
        if (taxon != null && taxon.rank() != rank) {
            throw new IllegalArgumentException("taxon " + taxon + " is not at rank " + rank);
        }
        top5 = List.copyOf(top5);
        flags = flags.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    /** "Puma concolor", "Felidae", "Animalia"; null unless an animal. */
    public String scientificName() {
        return taxon == null ? null : taxon.scientificName();
    }

    /** Whether this names an animal to species. */
    public boolean isSpecies() {
        return rank == Rank.SPECIES;
    }

    /** This answer with another animal named, as an event's vote decides, flagged as relabelled. */
    public SpeciesResult relabelled(Taxon newTaxon, String newLabel, float newScore) {
        EnumSet<Flag> newFlags = flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
        newFlags.add(Flag.EVENT_RELABELLED);
        return new SpeciesResult(LabelKind.ANIMAL, newLabel, newTaxon, newTaxon.rank(), newScore, source, top5, classifier, newFlags);
    }

    @Override
    public String toString() {
        String named = taxon == null ? kind.name().toLowerCase(java.util.Locale.ROOT) : label + " = " + taxon;
        return named + String.format(" %.3f [%s]", score, source) + (flags.isEmpty() ? "" : " " + flags);
    }
}
