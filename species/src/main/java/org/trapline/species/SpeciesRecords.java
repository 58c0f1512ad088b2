package org.trapline.species;

import java.util.List;

import org.trapline.schema.ClassScore;
import org.trapline.schema.ClassificationKind;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;

/** Writes a {@link SpeciesResult} as the {@code SpeciesClassification} record that {@code FrameDetections} carries. */
public final class SpeciesRecords {

    private SpeciesRecords() {
    }

    /** The record for the detection at {@code detectionIndex} of its frame. */
    public static SpeciesClassification toAvro(int detectionIndex, SpeciesResult result) {
        List<ClassScore> top5 = result.top5().stream()
                .map(c -> new ClassScore(c.label(), c.scientificName(), c.score()))
                .toList();
        return SpeciesClassification.newBuilder()
                .setDetection(detectionIndex)
                .setKind(ClassificationKind.valueOf(result.kind().name()))
                .setLabel(result.label())
                .setScientificName(result.scientificName())
                .setRank(result.rank() == null ? null : TaxonRank.valueOf(result.rank().name()))
                .setScore(result.score())
                .setSource(result.source())
                .setTop5(top5)
                .setClassifier(new ModelInfo(result.classifier().name(), result.classifier().version()))
                .setFlags(result.flags().stream().map(Flag::name).toList())
                .build();
    }
}
