package org.trapline.species.taxonomy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a plain label list and a mapping of its classes to taxa. The list has one class a line (line i is
 * output i; its first comma-separated name is the label, as in {@code imagenet-labels.txt}). The
 * mapping has one row a line, fields separated by {@code ;}:
 *
 * <pre>
 * index;label;class;order;family;genus;species;common name     one row for every class of the list
 * taxon;;class;order;family;genus;species;common name          optional: a higher taxon's common name
 * # a comment
 * </pre>
 *
 * The label must equal the list's label at that index (so that a mapping is never applied to another
 * list); the taxon fields and common name follow SpeciesNet's conventions ({@link Label#of}): an animal
 * named to the ranks it can be told to, or no taxon and "animal", "blank", "human" or "vehicle". Every
 * class of the list must be mapped: a class silently taken as blank could hide an animal.
 */
public final class LabelMappingFile {

    private LabelMappingFile() {
    }

    static LabelMap parse(List<String> labelList, List<String> mapping, String source) {
        List<String> names = new ArrayList<>();
        for (String line : labelList) {
            if (!line.isBlank()) {
                names.add(line.split(",", 2)[0].strip());
            }
        }
        Label[] labels = new Label[names.size()];
        Map<Taxon, String> taxonNames = new HashMap<>();
        for (int n = 0; n < mapping.size(); n++) {
            String line = mapping.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (n + 1);
            String[] fields = line.split(";", -1);
            if (fields.length != 8) {
                throw new IllegalArgumentException(where + ": " + fields.length
                        + " fields, not 8 (index;label;class;order;family;genus;species;common name): " + line);
            }
            String[] taxon = {fields[2], fields[3], fields[4], fields[5], fields[6]};
            if (fields[0].strip().equals("taxon")) {
                Label named = Label.of(-1, "taxon", fields[7], taxon, fields[7], where);
                if (named.kind() != LabelKind.ANIMAL || named.taxon().equals(Taxon.ANIMALIA)) {
                    throw new IllegalArgumentException(where + ": a taxon row names a taxon");
                }
                taxonNames.put(named.taxon(), fields[7].strip());
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(fields[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": index '" + fields[0] + "' is not a number", e);
            }
            if (index < 0 || index >= labels.length) {
                throw new IllegalArgumentException(where + ": index " + index + " outside the label list's "
                        + labels.length + " classes");
            }
            String expected = names.get(index);
            if (!expected.toLowerCase(Locale.ROOT).equals(fields[1].strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(where + ": class " + index + " is '" + expected
                        + "' in the label list, not '" + fields[1].strip() + "': a mapping for another list?");
            }
            if (labels[index] != null) {
                throw new IllegalArgumentException(where + ": class " + index + " mapped twice");
            }
            labels[index] = Label.of(index, String.valueOf(index), expected, taxon, fields[7], where);
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + ": classes not mapped: "
                    + (missing.size() > 20 ? missing.subList(0, 20) + " and " + (missing.size() - 20) + " more" : missing));
        }
        return new LabelMap(source, List.of(labels), taxonNames, false);
    }
}
