package org.trapline.aggregator.counts;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.trapline.config.TraplineConfig;
import org.trapline.schema.AgeClass;

/**
 * How an individual's age class moves on from the one biologists assessed: per species, a juvenile
 * becomes a subadult {@code juvenile.months} after the assessment, and a subadult an adult
 * {@code subadult.months} later (a subadult when assessed: {@code subadult.months} after the assessment).
 * Whole calendar months count. A species without a rule, an age class with no assessment date, and a
 * date before the assessment keep the class as assessed: the rule moves forward from what was seen,
 * never back.
 *
 * <p>Configuration: {@code aggregator.age.leopard.juvenile.months=12},
 * {@code aggregator.age.leopard.subadult.months=12}. Species are named as the gallery names them,
 * compared ignoring case and punctuation ({@code spotted-hyena}, {@code spotted_hyena} and
 * {@code spotted.hyena} all name "spotted hyena"); a stage without its setting does not end.
 */
public final class AgeRules {

    static final String PREFIX = "aggregator.age.";
    private static final String JUVENILE = ".juvenile.months";
    private static final String SUBADULT = ".subadult.months";

    /** Months a species stays juvenile and then subadult; null: that stage does not end. */
    record Stages(Integer juvenileMonths, Integer subadultMonths) {
    }

    public static final AgeRules NONE = new AgeRules(Map.of());

    private final Map<String, Stages> bySpecies;

    AgeRules(Map<String, Stages> bySpecies) {
        this.bySpecies = Map.copyOf(bySpecies);
    }

    public static AgeRules fromConfig(TraplineConfig config) {
        Map<String, Stages> rules = new HashMap<>();
        config.withPrefix(PREFIX).forEach((key, value) -> {
            boolean juvenile = key.endsWith(JUVENILE);
            if (!juvenile && !key.endsWith(SUBADULT)) {
                throw new IllegalArgumentException("configuration '" + PREFIX + key + "' is not an age rule: "
                        + PREFIX + "<species>" + JUVENILE + " or " + PREFIX + "<species>" + SUBADULT);
            }
            String species = normalise(key.substring(0, key.length() - (juvenile ? JUVENILE : SUBADULT).length()));
            int months = config.getInt(PREFIX + key, 0);
            if (months < 0) {
                throw new IllegalArgumentException("configuration '" + PREFIX + key + "' must be 0 months or more");
            }
            Stages before = rules.getOrDefault(species, new Stages(null, null));
            rules.put(species, juvenile ? new Stages(months, before.subadultMonths())
                    : new Stages(before.juvenileMonths(), months));
        });
        return new AgeRules(rules);
    }

    /** The age class on {@code date} of an individual of {@code species} with this life history (null: none recorded). */
    public AgeClass on(String species, LifeHistoryView life, LocalDate date) {
        return life == null ? AgeClass.UNKNOWN : on(species, life.ageClass(), life.ageAssessedOn(), date);
    }

    /** The age class on {@code date} of an individual of {@code species} assessed {@code assessed} on {@code assessedOn}. */
    public AgeClass on(String species, AgeClass assessed, LocalDate assessedOn, LocalDate date) {
        AgeClass known = assessed == null ? AgeClass.UNKNOWN : assessed;
        Stages stages = species == null ? null : bySpecies.get(normalise(species));
        if (stages == null || assessedOn == null || date == null || !date.isAfter(assessedOn)
                || known == AgeClass.UNKNOWN || known == AgeClass.ADULT) {
            return known;
        }
        long months = ChronoUnit.MONTHS.between(assessedOn, date);
        if (known == AgeClass.JUVENILE) {
            if (stages.juvenileMonths() == null || months < stages.juvenileMonths()) {
                return AgeClass.JUVENILE;
            }
            months -= stages.juvenileMonths();
        }
        return stages.subadultMonths() == null || months < stages.subadultMonths() ? AgeClass.SUBADULT : AgeClass.ADULT;
    }

    static String normalise(String species) {
        return species.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", ".").replaceAll("^\\.|\\.$", "");
    }
}
