package org.trapline.aggregator.counts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.trapline.config.TraplineConfig;

/**
 * How capture sessions and seasons are written in the configuration: a list of names, and for each
 * name periods ({@code START/END}, ISO-8601 instants, start inclusive, end exclusive) and optionally the
 * sites it applies to.
 */
final class Periods {

    /** A period {@code [start, end)}. */
    record Period(Instant start, Instant end) {
    }

    private Periods() {
    }

    /** The names listed under {@code key} (comma-separated), blanks left out. */
    static List<String> names(TraplineConfig config, String key) {
        return Arrays.stream(config.get(key, "").split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** The sites listed under {@code key}; empty (every site) when none is. */
    static Set<String> sites(TraplineConfig config, String key) {
        return names(config, key).stream().collect(Collectors.toUnmodifiableSet());
    }

    static Period period(TraplineConfig config, String key) {
        String value = config.require(key);
        String[] ends = value.split("/");
        try {
            if (ends.length == 2) {
                return new Period(Instant.parse(ends[0].trim()), Instant.parse(ends[1].trim()));
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("configuration '" + key + "' must be START/END as ISO-8601 instants, "
                + "e.g. 2026-01-01T00:00:00Z/2026-01-15T00:00:00Z, not '" + value + "'");
    }
}
