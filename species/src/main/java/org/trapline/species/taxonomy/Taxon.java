package org.trapline.species.taxonomy;

import java.util.Locale;
import java.util.Optional;

/**
 * A taxon of the animal kingdom as SpeciesNet writes it: class, order, family, genus and species epithet,
 * each empty (null) below the rank it is named to. Names are kept in their usual case (higher taxa and
 * genus capitalised, the epithet in lower case) whatever case they were read in, so SpeciesNet's
 * lower-case labels and a hand-written mapping name the same taxon equally.
 *
 * <p>The taxon with every field empty is {@link #ANIMALIA}, the kingdom: "an animal".
 */
public record Taxon(String className, String order, String family, String genus, String species) {

    public static final Taxon ANIMALIA = new Taxon(null, null, null, null, null);

    public Taxon {
        className = higher(className);
        order = higher(order);
        family = higher(family);
        genus = higher(genus);
        species = species == null || species.isBlank() ? null : species.trim().toLowerCase(Locale.ROOT);
        if (species != null && genus == null) {
            throw new IllegalArgumentException("a species epithet '" + species + "' without a genus");
        }
    }

    /** A taxon from its five fields in order, empty strings for the ranks it is not named to. */
    public static Taxon of(String className, String order, String family, String genus, String species) {
        return new Taxon(className, order, family, genus, species);
    }

    private static String higher(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String trimmed = name.trim().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1);
    }

    /** The finest rank this taxon is named to. */
    public Rank rank() {
        if (species != null) {
            return Rank.SPECIES;
        } else if (genus != null) {
            return Rank.GENUS;
        } else if (family != null) {
            return Rank.FAMILY;
        } else if (order != null) {
            return Rank.ORDER;
        } else if (className != null) {
            return Rank.CLASS;
        }
        return Rank.KINGDOM;
    }

    /** This taxon's own name at {@code rank} (the epithet alone for a species), or null. */
    public String nameAt(Rank rank) {
        return switch (rank) {
            case SPECIES -> species;
            case GENUS -> genus;
            case FAMILY -> family;
            case ORDER -> order;
            case CLASS -> className;
            case KINGDOM -> "Animalia";
        };
    }

    /**
     * This taxon's ancestor at {@code rank} (itself at its own rank); empty when it is named only to a
     * coarser rank, or when its label leaves that rank out (a gap, which SpeciesNet's files allow).
     */
    public Optional<Taxon> at(Rank rank) {
        if (rank.finerThan(rank()) || nameAt(rank) == null) {
            return Optional.empty();
        }
        return Optional.of(switch (rank) {
            case SPECIES -> this;
            case GENUS -> new Taxon(className, order, family, genus, null);
            case FAMILY -> new Taxon(className, order, family, null, null);
            case ORDER -> new Taxon(className, order, null, null, null);
            case CLASS -> new Taxon(className, null, null, null, null);
            case KINGDOM -> ANIMALIA;
        });
    }

    /** Whether {@code other} is this taxon or lies under it. */
    public boolean contains(Taxon other) {
        return other.at(rank()).map(this::equals).orElse(false);
    }

    /** Whether one of the two contains the other: they may be the same animal named more or less finely. */
    public boolean compatibleWith(Taxon other) {
        return contains(other) || other.contains(this);
    }

    /** "Puma concolor", "Felidae", "Animalia". */
    public String scientificName() {
        return rank() == Rank.SPECIES ? genus + " " + species : nameAt(rank());
    }

    /**
     * The taxon written in SpeciesNet's five-field form ({@link #taxonomyString}), in any case.
     *
     * @throws IllegalArgumentException not five fields separated by ';', or a species epithet without a genus
     */
    public static Taxon parse(String taxonomy) {
        String[] f = taxonomy.split(";", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("taxonomy '" + taxonomy + "' has not five fields separated by ';'");
        }
        return of(f[0], f[1], f[2], f[3], f[4]);
    }

    /** SpeciesNet's five-field form, lower case: "mammalia;carnivora;felidae;puma;concolor". */
    public String taxonomyString() {
        return java.util.stream.Stream.of(className, order, family, genus, species)
                .map(name -> name == null ? "" : name.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(";"));
    }

    @Override
    public String toString() {
        return scientificName() + " (" + rank().key() + ")";
    }
}
