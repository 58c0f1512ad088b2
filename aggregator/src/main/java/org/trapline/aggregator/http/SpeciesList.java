package org.trapline.aggregator.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every species counted at any site, all time, with its scientific name, and the one a page shows first.
 * A species is counted by its label: the species classifier's common name ("leopard", "bird") or, for an
 * animal no classifier named, the detector's label ("animal"), which has no scientific name. The name
 * tells a species (two words, "Panthera pardus") from a coarser answer ("Aves", "Felidae", "Animalia");
 * a genus and a family both read as one word, and sightings carry no rank, so one word is only "coarser
 * than a species".
 */
public final class SpeciesList {

    /**
     * @param namedToSpecies whether the classifier named it to species (its scientific name is a binomial)
     * @param sites          the sites where it was counted
     */
    public record Species(String species, String scientificName, boolean namedToSpecies, long sightings,
                          long independentEvents, int sites) {
    }

    /**
     * @param species   by label
     * @param preferred the species a page shows first (null when none was counted): the one with the most
     *                  independent events among those named to species, else among those the classifier
     *                  named at all, else of all; never a coarse label while a species was seen
     */
    public record Answer(List<Species> species, String preferred) {
    }

    /** Most independent events first, then most sightings, then by label. */
    private static final Comparator<Species> MOST_DETECTED = Comparator.comparingLong(Species::independentEvents).reversed()
            .thenComparing(Comparator.comparingLong(Species::sightings).reversed())
            .thenComparing(Species::species);

    private SpeciesList() {
    }

    /** The species of every site (each site's list from {@link SiteQueries#species}), summed over the sites. */
    static Answer of(Collection<List<SiteQueries.SiteSpecies>> sites) {
        Map<String, List<SiteQueries.SiteSpecies>> byLabel = new TreeMap<>();
        for (List<SiteQueries.SiteSpecies> site : sites) {
            for (SiteQueries.SiteSpecies s : site) {
                byLabel.computeIfAbsent(s.species(), k -> new ArrayList<>()).add(s);
            }
        }
        List<Species> species = new ArrayList<>();
        byLabel.forEach((label, at) -> {
            String name = scientificName(at);
            species.add(new Species(label, name, namedToSpecies(name),
                    at.stream().mapToLong(SiteQueries.SiteSpecies::sightings).sum(),
                    at.stream().mapToLong(SiteQueries.SiteSpecies::independentEvents).sum(), at.size()));
        });
        return new Answer(List.copyOf(species), preferred(species));
    }

    /** Whether a scientific name names a species: genus and epithet ("Canis familiaris"), or more (a subspecies). */
    static boolean namedToSpecies(String scientificName) {
        return scientificName != null && scientificName.strip().split("\\s+").length >= 2;
    }

    /**
     * The label's scientific name where sites differ (one site's latest "animal" the detector's, another's
     * the classifier's "Animalia"): a species' name before a coarser one, any name before none.
     */
    private static String scientificName(List<SiteQueries.SiteSpecies> at) {
        return at.stream().map(SiteQueries.SiteSpecies::scientificName).filter(n -> n != null && !n.isBlank())
                .min(Comparator.comparing((String n) -> !namedToSpecies(n)).thenComparing(Comparator.naturalOrder()))
                .orElse(null);
    }

    private static String preferred(List<Species> species) {
        return species.stream().min(Comparator.comparing((Species s) -> !s.namedToSpecies())
                        .thenComparing(s -> s.scientificName() == null).thenComparing(MOST_DETECTED))
                .map(Species::species).orElse(null);
    }
}
