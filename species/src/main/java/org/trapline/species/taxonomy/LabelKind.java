package org.trapline.species.taxonomy;

/**
 * What a classifier's class stands for: an animal (named to some taxon, possibly only "animal"), or one
 * of SpeciesNet's non-animal answers, which are compared with the detector's category rather than
 * rolled up.
 */
public enum LabelKind {
    ANIMAL,
    /** No animal: SpeciesNet's "blank"; for an ImageNet model every object, scene, plant and food class. */
    BLANK,
    HUMAN,
    VEHICLE,
    /** SpeciesNet's "no cv result": the classifier gave nothing usable. */
    UNKNOWN
}
