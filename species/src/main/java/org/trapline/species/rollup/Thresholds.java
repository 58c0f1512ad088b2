package org.trapline.species.rollup;

import java.util.EnumMap;
import java.util.Map;

import org.trapline.species.taxonomy.Rank;

/**
 * The scores an answer must be above (strictly, as in SpeciesNet): per rank, the summed probability
 * that names an animal at that rank (SpeciesNet uses 0.65 at every rank of its rollup);
 * {@code disagreement}, above which the classifier's blank / human / vehicle answer, against the
 * detector's category, is flagged; {@code override}, above which that answer replaces the detector's
 * (SpeciesNet takes "blank" over an animal detection only above 0.99).
 */
public record Thresholds(Map<Rank, Float> ranks, float disagreement, float override) {

    /** SpeciesNet's rollup threshold, used for every rank unless configured otherwise. */
    public static final float SPECIESNET = 0.65f;

    public Thresholds {
        EnumMap<Rank, Float> all = new EnumMap<>(Rank.class);
        for (Rank rank : Rank.values()) {
            Float value = ranks.get(rank);
            if (value == null) {
                throw new IllegalArgumentException("no threshold for rank " + rank.key());
            }
            check(rank.key(), value);
            all.put(rank, value);
        }
        ranks = java.util.Collections.unmodifiableMap(all);
        check("disagreement", disagreement);
        check("override", override);
    }

    private static void check(String name, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("threshold " + name + " must be in [0, 1), not " + value);
        }
    }

    /** One threshold for every rank. */
    public static Thresholds uniform(float rank, float disagreement, float override) {
        EnumMap<Rank, Float> ranks = new EnumMap<>(Rank.class);
        for (Rank r : Rank.values()) {
            ranks.put(r, rank);
        }
        return new Thresholds(ranks, disagreement, override);
    }

    /** SpeciesNet's: 0.65 at every rank, disagreement flagged from 0.5, overriding the detector from 0.99. */
    public static Thresholds speciesNet() {
        return uniform(SPECIESNET, 0.5f, 0.99f);
    }

    public float at(Rank rank) {
        return ranks.get(rank);
    }
}
