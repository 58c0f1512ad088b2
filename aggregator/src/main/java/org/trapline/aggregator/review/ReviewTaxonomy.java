package org.trapline.aggregator.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.trapline.species.taxonomy.LabelMap;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;

/**
 * The species stage's taxonomy as reviewers need it: the names to offer as they type (every taxon a label of
 * the classifier names or lies under, with its common name), and what a name says at each rank, to tell how
 * far the classifier's name was right. A name the taxonomy lacks is still a reviewer's to give (checked for
 * form only); of such a name only a binomial's genus is known.
 */
public final class ReviewTaxonomy {

    /** A name offered as a reviewer types. */
    public record Suggestion(String scientificName, String commonName, String rank) {
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReviewTaxonomy.class);

    /** Null: the species stage's labels could not be read; names are then checked for form alone. */
    private final LabelMap labels;

    public ReviewTaxonomy(LabelMap labels) {
        this.labels = labels;
    }

    /** The species stage's taxonomy as configured ({@code species.labels.*}), or none, said in the log, where it cannot be read. */
    public static ReviewTaxonomy load(org.trapline.config.TraplineConfig config) {
        try {
            return new ReviewTaxonomy(org.trapline.species.SpeciesSettings.labels(config));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("the species stage's labels cannot be read ({}): reviewers get no names offered as they type, and any "
                    + "scientific name of the right form is taken", e.getMessage());
            return new ReviewTaxonomy(null);
        }
    }

    /** Names whose scientific or common name starts with (or, after those, contains) {@code typed}. */
    public List<Suggestion> suggest(String typed, int limit) {
        String q = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        if (labels == null) {
            return List.of();
        }
        List<Suggestion> starts = new ArrayList<>();
        List<Suggestion> contains = new ArrayList<>();
        for (Taxon taxon : labels.taxa()) {
            if (taxon.rank() == Rank.KINGDOM) {
                continue;
            }
            String scientific = taxon.scientificName();
            String common = labels.commonName(taxon);
            Suggestion s = new Suggestion(scientific, common, taxon.rank().key());
            String a = scientific.toLowerCase(Locale.ROOT);
            String b = common == null ? "" : common.toLowerCase(Locale.ROOT);
            if (a.startsWith(q) || b.startsWith(q)) {
                starts.add(s);
            } else if (a.contains(q) || b.contains(q)) {
                contains.add(s);
            }
        }
        Comparator<Suggestion> order = Comparator.comparing(Suggestion::scientificName);
        starts.sort(order);
        contains.sort(order);
        starts.addAll(contains);
        return starts.size() > limit ? List.copyOf(starts.subList(0, limit)) : starts;
    }

    /** What the name is at {@code rank} ("species": the binomial, "genus": its genus, …), where that is known. */
    public Optional<String> nameAt(String scientificName, String rank) {
        if (scientificName == null) {
            return Optional.empty();
        }
        Rank r = Rank.parse(rank);
        Optional<Taxon> known = labels == null ? Optional.empty() : labels.find(scientificName);
        if (known.isPresent()) {
            Taxon t = known.get();
            if (r.finerThan(t.rank())) {
                return Optional.empty();
            }
            return Optional.ofNullable(r == Rank.SPECIES ? t.scientificName() : t.nameAt(r));
        }
        String[] words = scientificName.strip().split("\\s+");
        if (words.length >= 2) {
            return switch (r) {
                case SPECIES -> Optional.of(words[0] + " " + words[1]);
                case GENUS -> Optional.of(words[0]);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }
}
