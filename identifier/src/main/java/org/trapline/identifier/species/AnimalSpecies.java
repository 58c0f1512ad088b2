package org.trapline.identifier.species;

import java.util.Locale;

import org.trapline.schema.Detection;
import org.trapline.schema.Sighting;

/**
 * What an animal is identified and counted as: the species classifier's answer (common name and
 * scientific name, at whatever rank it was sure of), or, where no classifier named it, the detector's
 * label with no scientific name.
 *
 * @param label          the common name ("cougar", "cat family") or the detector's label ("dog")
 * @param scientificName "Puma concolor", "Felidae"; null when the classifier did not name the animal
 */
public record AnimalSpecies(String label, String scientificName) {

    /** The detector's label for an animal no classifier named. */
    public static AnimalSpecies ofDetector(Detection detection) {
        return new AnimalSpecies(detection.getLabel().strip().toLowerCase(Locale.ROOT), null);
    }

    /** What a published sighting was identified as. */
    public static AnimalSpecies of(Sighting sighting) {
        return new AnimalSpecies(sighting.getSpeciesLabel(), sighting.getScientificName());
    }

    /**
     * The species' key: its gallery (individuals are only ever compared within one) and its matchers
     * ({@code identifier.species.KEY.matchers}) are the scientific name's, else the detector's label's.
     */
    public String key() {
        return scientificName != null ? scientificName : label;
    }
}
