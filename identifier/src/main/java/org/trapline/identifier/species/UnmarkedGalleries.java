package org.trapline.identifier.species;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.TraplineConfig;
import org.trapline.identifier.IdentifierSettings;
import org.trapline.species.SpeciesSettings;
import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Taxon;

/**
 * Which of the gallery's species the configuration says cannot be told apart: a gallery made before a species
 * was unmarked (every species was re-identified once) holds provisional individuals that are no animals anyone
 * can recognise, and they are retired ({@code ReviewDesk.retireUnmarked}). A species' family, order and class
 * come from the species classifier's taxonomy ({@code species.labels.*}), as they did when its animals were
 * identified; without the taxonomy a species is taken as unmarked only where no rule could mark it.
 */
public final class UnmarkedGalleries implements Predicate<String> {

    private static final Logger log = LoggerFactory.getLogger(UnmarkedGalleries.class);

    private final IdentifierSettings settings;
    private final Function<String, Optional<Taxon>> lineages;

    public UnmarkedGalleries(IdentifierSettings settings, Function<String, Optional<Taxon>> lineages) {
        this.settings = settings;
        this.lineages = lineages;
    }

    public static UnmarkedGalleries fromConfig(IdentifierSettings settings, TraplineConfig config) {
        Function<String, Optional<Taxon>> lineages;
        try {
            LabelMap labels = SpeciesSettings.labels(config);
            lineages = labels::find;
        } catch (Exception e) {
            log.warn("the species taxonomy cannot be read ({}): a gallery's species is unmarked only where no rule"
                    + " on a family, order or class could mark it", e.getMessage());
            lineages = species -> Optional.empty();
        }
        return new UnmarkedGalleries(settings, lineages);
    }

    /** Whether the gallery's individuals of {@code species} (a gallery's key) should not exist. */
    @Override
    public boolean test(String species) {
        return settings.unmarkedGallery(species, lineages.apply(species));
    }
}
