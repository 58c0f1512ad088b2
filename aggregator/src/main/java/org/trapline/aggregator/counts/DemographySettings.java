package org.trapline.aggregator.counts;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.trapline.config.Setting;
import org.trapline.config.TraplineConfig;

/**
 * How the aggregator tells a site's demography.
 *
 * @param seasons   the seasons it is told for (see {@link Season})
 * @param goneAfter an individual not seen at a site for this long is presumed gone from it
 *                  ({@code aggregator.demography.gone.after.days}, 365)
 * @param ages      how age classes move on (see {@link AgeRules})
 */
public record DemographySettings(List<Season> seasons, Duration goneAfter, AgeRules ages) {

    public static final Setting<Long> GONE_AFTER_DAYS = Setting.longInteger("aggregator.demography.gone.after.days", 365,
            "an individual not seen at a site for this long is presumed gone from it").requiring(v -> v >= 1, "1 or more");

    public static final DemographySettings NONE = new DemographySettings(List.of(), Duration.ofDays(365), AgeRules.NONE);

    public DemographySettings {
        seasons = List.copyOf(seasons);
        if (goneAfter.isNegative() || goneAfter.isZero()) {
            throw new IllegalArgumentException("aggregator.demography.gone.after.days must be 1 or more, not " + goneAfter.toDays());
        }
        if (seasons.stream().map(Season::name).distinct().count() < seasons.size()) {
            throw new IllegalArgumentException("aggregator.seasons names a season twice: " + seasons.stream().map(Season::name).toList());
        }
    }

    public static DemographySettings fromConfig(TraplineConfig config) {
        return new DemographySettings(Season.fromConfig(config),
                Duration.ofDays(GONE_AFTER_DAYS.of(config)), AgeRules.fromConfig(config));
    }

    public Optional<Season> season(String name) {
        return seasons.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
