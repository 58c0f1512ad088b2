package org.trapline.identifier.species;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.trapline.schema.Detection;
import org.trapline.schema.Sighting;
import org.trapline.species.taxonomy.Taxon;

/**
 * What an animal is identified and counted as: the species classifier's answer (common name and
 * scientific name, at whatever rank it was sure of), or, where no classifier named it, the detector's
 * label with no scientific name.
 *
 * @param label          the common name ("cougar", "cat family") or the detector's label ("dog")
 * @param scientificName "Puma concolor", "Felidae"; null when the classifier did not name the animal
 * @param lineage        its class, order, family, genus and species as the classifier gave them; null when
 *                       not known (the detector's label, a published sighting read back)
 */
public record AnimalSpecies(String label, String scientificName, Taxon lineage) {

    public AnimalSpecies(String label, String scientificName) {
        this(label, scientificName, null);
    }

    /** What it is identified as is its label and name; the lineage only says where it sits (for the rules). */
    @Override
    public boolean equals(Object other) {
        return other instanceof AnimalSpecies that && java.util.Objects.equals(label, that.label)
                && java.util.Objects.equals(scientificName, that.scientificName);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(label, scientificName);
    }

    @Override
    public String toString() {
        return "AnimalSpecies[label=" + label + ", scientificName=" + scientificName + "]";
    }

    /** The detector's label for an animal no classifier named. */
    public static AnimalSpecies ofDetector(Detection detection) {
        return new AnimalSpecies(detection.getLabel().strip().toLowerCase(Locale.ROOT), null);
    }

    /** What a published sighting was identified as. */
    public static AnimalSpecies of(Sighting sighting) {
        return new AnimalSpecies(sighting.getSpeciesLabel(), sighting.getScientificName());
    }

    /**
     * The names a configuration rule may give it, the most specific first: its key, its genus (the first word
     * of a binomial), then, where the lineage is known, its family, order and class.
     */
    public List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        names.add(key());
        if (scientificName != null) {
            genusOf(scientificName).ifPresent(names::add);
        }
        if (lineage != null) {
            for (String name : new String[] {lineage.genus(), lineage.family(), lineage.order(), lineage.className()}) {
                if (name != null && !name.isBlank() && names.stream().noneMatch(n -> n.equalsIgnoreCase(name))) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The genus of a binomial (its first word), none for a name of one word (a genus, a family, a label). */
    public static java.util.Optional<String> genusOf(String name) {
        String[] words = name.strip().split("\\s+");
        return words.length > 1 ? java.util.Optional.of(words[0]) : java.util.Optional.empty();
    }

    /**
     * The species' key: its gallery (individuals are only ever compared within one) and its matchers
     * ({@code identifier.species.KEY.matchers}) are the scientific name's, else the detector's label's.
     */
    public String key() {
        return scientificName != null ? scientificName : label;
    }
}
