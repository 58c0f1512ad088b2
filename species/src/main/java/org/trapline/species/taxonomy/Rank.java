package org.trapline.species.taxonomy;

import java.util.Locale;

/**
 * The taxonomic ranks a classifier's answer can be given at, finest first, as SpeciesNet has them;
 * {@link #KINGDOM} is "animal", the answer when no finer rank is sure enough.
 */
public enum Rank {
    SPECIES, GENUS, FAMILY, ORDER, CLASS, KINGDOM;

    /** Whether this rank is finer (closer to the species) than {@code other}. */
    public boolean finerThan(Rank other) {
        return ordinal() < other.ordinal();
    }

    /** The lower-case name, as in configuration keys and SpeciesNet's prediction sources ("genus"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Rank parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no taxonomic rank '" + name + "' (species, genus, family, order, class, kingdom)", e);
        }
    }
}
