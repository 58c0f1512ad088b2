package org.trapline.species.taxonomy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads SpeciesNet's label file: line i is output class i, {@code uuid;class;order;family;genus;species;common name},
 * lower case, empty fields below the rank the label is named to ({@code ...;aves;;;;;bird}), and the
 * special labels {@code ;;;;;;blank}, {@code ;;;;;;animal}, {@code ;;;;;;vehicle}, the human
 * ({@code ...;mammalia;primates;hominidae;homo;sapiens;human}) and "no cv result".
 */
final class SpeciesNetLabelFile {

    private SpeciesNetLabelFile() {
    }

    static LabelMap parse(List<String> lines, String source) {
        List<Label> labels = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                // a blank line would shift every later class by one: refuse it rather than guess
                if (lines.subList(n, lines.size()).stream().allMatch(String::isBlank)) {
                    break;
                }
                throw new IllegalArgumentException(source + " line " + (n + 1) + ": empty, before the last label");
            }
            String[] fields = line.split(";", -1);
            String where = source + " line " + (n + 1);
            if (fields.length != 7) {
                throw new IllegalArgumentException(where + ": " + fields.length
                        + " fields, not 7 (uuid;class;order;family;genus;species;common name): " + line);
            }
            String[] taxon = {fields[1], fields[2], fields[3], fields[4], fields[5]};
            String common = fields[6].isBlank() ? null : fields[6];
            labels.add(Label.of(labels.size(), fields[0].strip(), common != null ? common.strip() : line, taxon, common, where));
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException(source + ": no labels");
        }
        return new LabelMap(source, labels, Map.of(), true);
    }
}
