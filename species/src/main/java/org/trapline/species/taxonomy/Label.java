package org.trapline.species.taxonomy;

import java.util.Locale;
import java.util.Objects;

/**
 * One output class of a classifier: its index in the output, its identifier (SpeciesNet's UUID, or the
 * index), the model's own name for it, what kind of answer it is, and for an animal its taxon and the
 * taxon's common name.
 *
 * @param taxon the animal's taxon ({@link Taxon#ANIMALIA} for "animal"); null for the other kinds
 */
public record Label(int index, String id, String name, LabelKind kind, Taxon taxon, String commonName) {

    public Label {
        Objects.requireNonNull(kind, "kind");
        if ((kind == LabelKind.ANIMAL) != (taxon != null)) {
            throw new IllegalArgumentException("label " + index + " '" + name + "': an animal has a taxon, nothing else has one");
        }
    }

    /**
     * The label that a row of taxonomy fields and a common name stands for, by SpeciesNet's conventions:
     * no taxon and the name "blank", "vehicle" or "animal"; "human" whatever its taxon (SpeciesNet gives
     * it Homo sapiens's, but a person is never an animal answer here); every field "no cv result".
     *
     * @param fields class, order, family, genus and species epithet, empty where not named
     */
    static Label of(int index, String id, String name, String[] fields, String commonName, String where) {
        String common = commonName == null ? "" : commonName.trim();
        String lower = common.toLowerCase(Locale.ROOT);
        boolean noTaxon = true;
        for (String field : fields) {
            noTaxon &= field == null || field.isBlank();
        }
        if (lower.equals("no cv result")) {
            return new Label(index, id, name, LabelKind.UNKNOWN, null, common);
        }
        if (lower.equals("human")) {
            return new Label(index, id, name, LabelKind.HUMAN, null, common);
        }
        if (noTaxon) {
            return switch (lower) {
                case "blank" -> new Label(index, id, name, LabelKind.BLANK, null, common);
                case "vehicle" -> new Label(index, id, name, LabelKind.VEHICLE, null, common);
                case "animal" -> new Label(index, id, name, LabelKind.ANIMAL, Taxon.ANIMALIA, common);
                default -> throw new IllegalArgumentException(where + ": no taxon, and '" + common
                        + "' is none of blank, animal, human, vehicle");
            };
        }
        Taxon taxon;
        try {
            taxon = Taxon.of(fields[0], fields[1], fields[2], fields[3], fields[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (taxon.className() == null) {
            throw new IllegalArgumentException(where + ": a taxon without its class");
        }
        return new Label(index, id, name, LabelKind.ANIMAL, taxon, common.isEmpty() ? taxon.scientificName() : common);
    }
}
