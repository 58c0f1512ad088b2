package org.trapline.species.rollup;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.trapline.schema.DetectionCategory;
import org.trapline.species.result.ClassScore;
import org.trapline.species.result.ClassifierInfo;
import org.trapline.species.result.Flag;
import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.Label;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;

/**
 * Decides what one box holds from the classifier's probabilities, as SpeciesNet's ensemble does:
 *
 * <ol>
 * <li>Every class's probability is added to its taxon and to each of the taxon's ancestors (the 118 dog
 *     breeds all count for Canis familiaris, then Canis, Canidae, ...), the human, blank and vehicle
 *     classes to their own totals. Unlike SpeciesNet, which sums its top 5 only, every class counts.</li>
 * <li>Going up from the species (species, genus, family, order, class, then "animal"), the answer is the
 *     best taxon of the first rank whose sum is above that rank's threshold (strictly, as in SpeciesNet); a taxon the site's allow-list
 *     does not know (the geofence) cannot be named, though its score still counts for its ancestors,
 *     so a lion's score in Idaho helps "cat family".</li>
 * <li>With no animal answer, the classifier's blank / human / vehicle answer (its summed score above
 *     the disagreement threshold) stands where it agrees with the detector's category, is flagged
 *     where it does not, and overrides the detector only above the override threshold. Otherwise the
 *     detector's own category stands ("animal", source "detector").</li>
 * </ol>
 *
 * An animal answer in a box the detector called a person or a vehicle is flagged too.
 */
public final class Rollup {

    /** The ranks summed per taxon; KINGDOM is the total over all animal classes. */
    private static final Rank[] TAXON_RANKS = {Rank.SPECIES, Rank.GENUS, Rank.FAMILY, Rank.ORDER, Rank.CLASS};

    private final LabelMap labels;
    private final Thresholds thresholds;
    private final ClassifierInfo classifier;
    /** Per taxon rank: the distinct taxa, and for each class the index of its ancestor there (-1: none). */
    private final Taxon[][] taxa = new Taxon[TAXON_RANKS.length][];
    private final int[][] taxonOfLabel = new int[TAXON_RANKS.length][];

    public Rollup(LabelMap labels, Thresholds thresholds, ClassifierInfo classifier) {
        this.labels = labels;
        this.thresholds = thresholds;
        this.classifier = classifier;
        for (int r = 0; r < TAXON_RANKS.length; r++) {
            Map<Taxon, Integer> ids = new LinkedHashMap<>();
            int[] of = new int[labels.size()];
            for (Label label : labels.labels()) {
                Rank rank = TAXON_RANKS[r];
                of[label.index()] = label.kind() != LabelKind.ANIMAL ? -1
                        : label.taxon().at(rank).map(t -> ids.computeIfAbsent(t, k -> ids.size())).orElse(-1);
            }
            taxa[r] = ids.keySet().toArray(Taxon[]::new);
            taxonOfLabel[r] = of;
        }
    }

    public LabelMap labels() {
        return labels;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /**
     * The answer for one box.
     *
     * @param probabilities the classifier's probabilities, one per class of the label map
     * @param category      the detector's category for the box; null for a whole frame without a detection
     * @param detectorConfidence the detector's confidence (0 without a detection)
     * @param allowList     the place's allow-list, if it has one
     */
    public SpeciesResult decide(float[] probabilities, DetectionCategory category, float detectorConfidence,
                                Optional<AllowList> allowList) {
        if (probabilities.length != labels.size()) {
            throw new IllegalArgumentException("the classifier gives " + probabilities.length + " scores, the labels ("
                    + labels.source() + ") name " + labels.size() + " classes");
        }
        double[][] sums = new double[TAXON_RANKS.length][];
        for (int r = 0; r < TAXON_RANKS.length; r++) {
            sums[r] = new double[taxa[r].length];
        }
        double animal = 0;
        double[] kinds = new double[LabelKind.values().length];
        for (int i = 0; i < probabilities.length; i++) {
            float p = probabilities[i];
            LabelKind kind = labels.label(i).kind();
            kinds[kind.ordinal()] += p;
            if (kind == LabelKind.ANIMAL) {
                animal += p;
                for (int r = 0; r < TAXON_RANKS.length; r++) {
                    int id = taxonOfLabel[r][i];
                    if (id >= 0) {
                        sums[r][id] += p;
                    }
                }
            }
        }
        List<ClassScore> top5 = top5(probabilities);
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);

        // the geofence: is the classifier's best species one the place does not know?
        boolean geofenced = false;
        if (allowList.isPresent() && sums[0].length > 0) {
            int best = argmax(sums[0]);
            geofenced = sums[0][best] > 0 && !allowList.get().knows(taxa[0][best]);
        }

        Optional<SpeciesResult> named = animalAnswer(sums, animal, allowList, geofenced, top5, flags, category);
        if (named.isPresent()) {
            return named.get();
        }

        LabelKind other = LabelKind.BLANK;
        for (LabelKind kind : List.of(LabelKind.HUMAN, LabelKind.VEHICLE)) {
            if (kinds[kind.ordinal()] > kinds[other.ordinal()]) {
                other = kind;
            }
        }
        double otherScore = kinds[other.ordinal()];
        if (otherScore > thresholds.disagreement()) {
            boolean agrees = switch (other) {
                case BLANK -> category == null;
                case HUMAN -> category == DetectionCategory.PERSON;
                case VEHICLE -> category == DetectionCategory.VEHICLE;
                default -> false;
            };
            if (!agrees) {
                flags.add(switch (other) {
                    case HUMAN -> Flag.CLASSIFIER_SAYS_HUMAN;
                    case VEHICLE -> Flag.CLASSIFIER_SAYS_VEHICLE;
                    default -> Flag.CLASSIFIER_SAYS_BLANK;
                });
            }
            if (agrees || otherScore > thresholds.override()) {
                return new SpeciesResult(other, other.name().toLowerCase(java.util.Locale.ROOT), null, null,
                        (float) otherScore, "classifier", top5, classifier, flags);
            }
        }
        if (category == null) {
            return new SpeciesResult(LabelKind.UNKNOWN, "unknown", null, null, top5.isEmpty() ? 0 : top5.get(0).score(),
                    "classifier", top5, classifier, flags);
        }
        return switch (category) {
            case ANIMAL -> new SpeciesResult(LabelKind.ANIMAL, labels.commonName(Taxon.ANIMALIA), Taxon.ANIMALIA, Rank.KINGDOM,
                    detectorConfidence, "detector", top5, classifier, flags);
            case PERSON -> new SpeciesResult(LabelKind.HUMAN, "human", null, null, detectorConfidence, "detector", top5, classifier, flags);
            case VEHICLE -> new SpeciesResult(LabelKind.VEHICLE, "vehicle", null, null, detectorConfidence, "detector", top5, classifier, flags);
        };
    }

    private Optional<SpeciesResult> animalAnswer(double[][] sums, double animal, Optional<AllowList> allowList,
                                                 boolean geofenced, List<ClassScore> top5, EnumSet<Flag> flags,
                                                 DetectionCategory category) {
        Taxon answer = null;
        double score = 0;
        for (int r = 0; r < TAXON_RANKS.length && answer == null; r++) {
            float threshold = thresholds.at(TAXON_RANKS[r]);
            // only a taxon above the threshold can be the answer: check the geofence for those alone, best first
            List<Integer> clearing = new ArrayList<>();
            for (int id = 0; id < sums[r].length; id++) {
                if (sums[r][id] > threshold) {
                    clearing.add(id);
                }
            }
            double[] s = sums[r];
            Taxon[] named = taxa[r];
            clearing.sort((a, b) -> Double.compare(s[b], s[a]));
            for (int id : clearing) {
                if (allowList.map(a -> a.knows(named[id])).orElse(true)) {
                    answer = named[id];
                    score = s[id];
                    break;
                }
            }
        }
        if (answer == null && animal > thresholds.at(Rank.KINGDOM)) {
            answer = Taxon.ANIMALIA;
            score = animal;
        }
        if (answer == null) {
            return Optional.empty();
        }
        if (category == DetectionCategory.PERSON || category == DetectionCategory.VEHICLE) {
            flags.add(Flag.CLASSIFIER_SAYS_ANIMAL);
        }
        if (geofenced) {
            // only where it changed the name: on a blank answer the fenced species meant nothing
            flags.add(Flag.GEOFENCED);
        }
        String source = "classifier" + (geofenced ? "+geofence" : "")
                + (answer.rank() == Rank.SPECIES ? "" : "+rollup_to_" + answer.rank().key());
        return Optional.of(new SpeciesResult(LabelKind.ANIMAL, labels.commonName(answer), answer, answer.rank(),
                (float) Math.min(1.0, score), source, top5, classifier, flags));
    }

    private List<ClassScore> top5(float[] probabilities) {
        int k = Math.min(5, probabilities.length);
        int[] best = new int[k];
        java.util.Arrays.fill(best, -1);
        for (int i = 0; i < probabilities.length; i++) {
            for (int slot = 0; slot < k; slot++) {
                if (best[slot] < 0 || probabilities[i] > probabilities[best[slot]]) {
                    System.arraycopy(best, slot, best, slot + 1, k - slot - 1);
                    best[slot] = i;
                    break;
                }
            }
        }
        List<ClassScore> top = new ArrayList<>();
        for (int i : best) {
            Label label = labels.label(i);
            top.add(new ClassScore(label.name(), label.taxon() == null ? null : label.taxon().scientificName(), probabilities[i]));
        }
        return top;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
