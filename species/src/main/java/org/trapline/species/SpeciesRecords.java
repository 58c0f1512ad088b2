package org.trapline.species;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.trapline.schema.ClassificationKind;
import org.trapline.schema.ModelInfo;
import org.trapline.schema.SpeciesClassification;
import org.trapline.schema.TaxonRank;
import org.trapline.species.result.ClassScore;
import org.trapline.species.result.ClassifierInfo;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Taxon;

/**
 * Writes a {@link SpeciesResult} as the {@code SpeciesClassification} record that {@code FrameDetections}
 * carries, and reads it back: the record carries the answer's whole lineage ({@code taxonomy}), so that a
 * reader (the identifier's per-event vote) can tell a coarser answer from a finer one of the same animal
 * without the classifier's label map.
 */
public final class SpeciesRecords {

    private SpeciesRecords() {
    }

    /** The record for the detection at {@code detectionIndex} of its frame. */
    public static SpeciesClassification toAvro(int detectionIndex, SpeciesResult result) {
        List<org.trapline.schema.ClassScore> top5 = result.top5().stream()
                .map(c -> new org.trapline.schema.ClassScore(c.label(), c.scientificName(), c.score()))
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
                .setTaxonomy(result.taxon() == null ? null : result.taxon().taxonomyString())
                .build();
    }

    /**
     * The answer a record holds. An animal answer without its lineage (a record written before the field
     * existed) or a kind or flag this version does not know is refused: the answer would be guessed.
     */
    public static SpeciesResult fromAvro(SpeciesClassification record) {
        LabelKind kind = switch (record.getKind()) {
            case ANIMAL -> LabelKind.ANIMAL;
            case BLANK -> LabelKind.BLANK;
            case HUMAN -> LabelKind.HUMAN;
            case VEHICLE -> LabelKind.VEHICLE;
            case UNKNOWN -> LabelKind.UNKNOWN;
        };
        Taxon taxon = null;
        if (kind == LabelKind.ANIMAL) {
            if (record.getTaxonomy() == null) {
                throw new IllegalArgumentException("the animal answer '" + record.getLabel() + "' of detection "
                        + record.getDetection() + " carries no taxonomy");
            }
            taxon = Taxon.parse(record.getTaxonomy());
        }
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        for (String flag : record.getFlags()) {
            flags.add(Flag.valueOf(flag.toUpperCase(Locale.ROOT)));
        }
        List<ClassScore> top5 = record.getTop5().stream()
                .map(c -> new ClassScore(c.getLabel(), c.getScientificName(), c.getScore())).toList();
        return new SpeciesResult(kind, record.getLabel(), taxon, taxon == null ? null : taxon.rank(), record.getScore(),
                record.getSource(), top5, new ClassifierInfo(record.getClassifier().getName(), record.getClassifier().getVersion()),
                flags);
    }
}
