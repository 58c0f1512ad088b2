package org.trapline.aggregator.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trapline.config.TraplineConfig;
import org.trapline.schema.AgeClass;

class AgeRulesTest {

    static final AgeRules RULES = AgeRules.fromConfig(TraplineConfig.of(Map.of(
            "aggregator.age.leopard.juvenile.months", "12",
            "aggregator.age.leopard.subadult.months", "12",
            // as the environment would give it: TRAPLINE_AGGREGATOR_AGE_SPOTTED_HYENA_JUVENILE_MONTHS
            "aggregator.age.spotted.hyena.juvenile.months", "18")));

    static LocalDate day(String iso) {
        return LocalDate.parse(iso);
    }

    /**
     * A leopard assessed juvenile on 15 March 2025: juvenile for 12 whole months (to 14 March 2026),
     * subadult for the next 12 (from 15 March 2026), adult from 15 March 2027.
     */
    @Test
    void aJuvenileBecomesSubadultThenAdult() {
        LocalDate assessed = day("2025-03-15");
        assertEquals(AgeClass.JUVENILE, RULES.on("leopard", AgeClass.JUVENILE, assessed, day("2026-03-14")));
        assertEquals(AgeClass.SUBADULT, RULES.on("leopard", AgeClass.JUVENILE, assessed, day("2026-03-15")));
        assertEquals(AgeClass.SUBADULT, RULES.on("Leopard", AgeClass.JUVENILE, assessed, day("2027-03-14")));
        assertEquals(AgeClass.ADULT, RULES.on("leopard", AgeClass.JUVENILE, assessed, day("2027-03-15")));
        // a subadult when assessed: 12 months to adult
        assertEquals(AgeClass.SUBADULT, RULES.on("leopard", AgeClass.SUBADULT, assessed, day("2026-03-14")));
        assertEquals(AgeClass.ADULT, RULES.on("leopard", AgeClass.SUBADULT, assessed, day("2026-03-15")));
    }

    @Test
    void whatTheRuleCannotMoveStaysAsAssessed() {
        LocalDate assessed = day("2020-01-01");
        assertEquals(AgeClass.JUVENILE, RULES.on("impala", AgeClass.JUVENILE, assessed, day("2026-01-01")), "no rule for impala");
        assertEquals(AgeClass.JUVENILE, RULES.on("leopard", AgeClass.JUVENILE, null, day("2026-01-01")), "no date assessed");
        assertEquals(AgeClass.JUVENILE, RULES.on("leopard", AgeClass.JUVENILE, assessed, day("2019-01-01")), "never moved back");
        assertEquals(AgeClass.UNKNOWN, RULES.on("leopard", null, assessed, day("2026-01-01")));
        assertEquals(AgeClass.ADULT, RULES.on("leopard", AgeClass.ADULT, assessed, day("2026-01-01")));
    }

    /** Spotted hyenas: juvenile for 18 months; no subadult setting, so a subadult stays one. */
    @Test
    void speciesNamesIgnoreCaseAndPunctuationAndAStageWithoutItsSettingDoesNotEnd() {
        LocalDate assessed = day("2025-01-01");
        assertEquals(AgeClass.JUVENILE, RULES.on("spotted hyena", AgeClass.JUVENILE, assessed, day("2026-06-30")));
        assertEquals(AgeClass.SUBADULT, RULES.on("Spotted-Hyena", AgeClass.JUVENILE, assessed, day("2026-07-01")));
        assertEquals(AgeClass.SUBADULT, RULES.on("spotted_hyena", AgeClass.JUVENILE, assessed, day("2040-01-01")));
    }

    @Test
    void aSettingThatIsNoRuleIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> AgeRules.fromConfig(TraplineConfig.of(Map.of(
                "aggregator.age.leopard.adult.months", "36"))));
        assertEquals(true, e.getMessage().contains("aggregator.age.leopard.adult.months"), e.getMessage());
    }
}
