package org.trapline.species;

import java.nio.file.Path;

import org.trapline.species.taxonomy.LabelMap;

/** The test's label file in SpeciesNet's format ({@code speciesnet-format.labels.txt}), for tests of every package. */
public final class SampleLabels {

    private SampleLabels() {
    }

    public static Path speciesNetFormatFile() throws Exception {
        return Path.of(SampleLabels.class.getResource("/org/trapline/species/speciesnet-format.labels.txt").toURI());
    }

    public static LabelMap speciesNetFormat() throws Exception {
        return LabelMap.speciesNet(speciesNetFormatFile());
    }
}
