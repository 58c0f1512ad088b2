package org.trapline.identifier.identify;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.trapline.identifier.IdentifierSettings;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.decide.Decisions;
import org.trapline.identifier.decide.Thresholds;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.match.Match;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.review.ReviewException;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.MatchDecision;

/**
 * Who the animal on a person's photo is, as the pipeline would see it: the same crop (the box with the
 * service's margin), the species' matchers and the gallery the service holds, the matchers that decide at the
 * site, and the same {@link Decisions} with the same thresholds. It only reads: nothing is enrolled, nothing
 * published. Without a species it searches every species of the gallery, each with its own matchers, and
 * ranks their candidates together (a matcher's scores are of one kind whatever the species).
 *
 * <p>Candidates are ranked by their strongest deciding score relative to that matcher's match threshold (the
 * order {@link Decisions} takes the animals of a frame in), so that matchers whose scores differ in kind
 * (cosine similarity, inlier counts) rank on one scale. Each carries the decision it alone would lead to: its
 * best deciding score at the match threshold MATCHED, at the review threshold REVIEW, else NEW_PROVISIONAL.
 * The photo's own decision is {@link Decisions}' on all candidates, which may differ (two matchers sure of
 * different animals are a REVIEW).
 */
public final class PhotoIdentifier {

    /** Search every candidate of this many per matcher, so that each shown one has its score from each matcher. */
    private static final int SEARCH_WIDTH = 50;
    /** The whole photo, when no box is given. */
    public static final BoundingBox WHOLE = new BoundingBox(0f, 0f, 1f, 1f);

    /** A photo to identify; species and site may be null (every species; no site's own matchers). */
    public record Query(BufferedImage photo, BoundingBox box, String species, String site, int top) {
    }

    /**
     * One candidate: its rank (candidates as strong as each other share one, as in 1, 2, 2, 4: a tie is shown as
     * a tie, never decided by the order the index happened to return them in), its scores per matcher (those
     * that found it) and the decision it alone would lead to.
     */
    public record Candidate(int rank, String individualId, String species, Map<String, Float> scores,
                            MatchDecision decision, double strength) {
    }

    /** What the photo would come to: the decision, the species searched, the deciding matchers, the ranking. */
    public record Result(MatchDecision decision, String individualId, Float score, List<String> species,
                         Set<String> decidingMatchers, List<Candidate> candidates) {
    }

    private final IdentifierSettings settings;
    private final Decisions decisions;
    private final Crops crops;

    public PhotoIdentifier(IdentifierSettings settings, Decisions decisions, Crops crops) {
        this.settings = settings;
        this.decisions = decisions;
        this.crops = crops;
    }

    /** The species the gallery knows: those of its live individuals. */
    public static Set<String> species(Gallery gallery) {
        Set<String> species = new TreeSet<>();
        gallery.live().forEach(i -> species.add(i.getSpecies()));
        return species;
    }

    /** The sites the identifier knows: where any individual was seen, and those its configuration names. */
    public Set<String> sites(Gallery gallery) {
        Set<String> sites = new TreeSet<>(settings.matchersBySite().keySet());
        gallery.all().forEach(i -> sites.addAll(i.getSiteIds()));
        return sites;
    }

    /**
     * The ranked candidates for the photo. Must run where the gallery does not change meanwhile (the service's
     * lock). 404 for a species with no individual in the gallery or a site the identifier does not know.
     */
    public Result identify(Gallery gallery, Query query) throws ReviewException, Matcher.MatchException {
        Set<String> known = species(gallery);
        List<String> searched;
        if (query.species() != null) {
            if (!known.contains(query.species())) {
                throw new ReviewException(404, "no individual of species '" + query.species() + "' in the gallery (species known: "
                        + known + ")");
            }
            searched = List.of(query.species());
        } else {
            searched = List.copyOf(known);
        }
        if (query.site() != null && !sites(gallery).contains(query.site())) {
            throw new ReviewException(404, "site '" + query.site() + "' is not one the identifier knows: no individual was seen"
                    + " there and the configuration names no matchers for it (sites known: " + sites(gallery) + ")");
        }
        BufferedImage crop = crops.crop(query.photo(), query.box() == null ? WHOLE : query.box());
        // per matcher, the candidates of every species searched, best first: scores of one matcher are of one kind
        Map<String, List<Match>> all = new LinkedHashMap<>();
        Set<String> deciding = new LinkedHashSet<>();
        for (String species : searched) {
            Map<String, Matcher.Probe> probes = new LinkedHashMap<>();
            for (Matcher matcher : gallery.matchers(species)) {
                probes.put(matcher.name(), matcher.probe(crop));
            }
            gallery.candidates(probes, SEARCH_WIDTH).forEach((matcher, found) ->
                    all.computeIfAbsent(matcher, m -> new ArrayList<>()).addAll(found));
            deciding.addAll(query.site() == null ? settings.matchersFor(species) : settings.decidingMatchers(species, query.site()));
        }
        all.values().forEach(found -> found.sort(Comparator.comparing(Match::score).reversed()));
        Map<String, List<Match>> decidingCandidates = new LinkedHashMap<>(all);
        decidingCandidates.keySet().retainAll(deciding);
        Decisions.Outcome outcome = decisions.decide(List.of(new Decisions.Proposal(0, decidingCandidates))).get(0);
        return new Result(outcome.decision(), outcome.individualId(), outcome.score(), searched, deciding,
                rank(gallery, all, deciding, query.top()));
    }

    private List<Candidate> rank(Gallery gallery, Map<String, List<Match>> all, Set<String> deciding, int top) {
        Map<String, Map<String, Float>> scores = new LinkedHashMap<>();
        all.forEach((matcher, found) -> found.forEach(m ->
                scores.computeIfAbsent(m.individualId(), id -> new LinkedHashMap<>()).put(matcher, m.score())));
        List<Candidate> ranked = new ArrayList<>();
        Map<String, Thresholds> thresholds = settings.thresholds();
        scores.forEach((individualId, byMatcher) -> {
            double strength = Double.NEGATIVE_INFINITY;
            boolean match = false;
            boolean review = false;
            for (Map.Entry<String, Float> score : byMatcher.entrySet()) {
                if (!deciding.contains(score.getKey())) {
                    continue;
                }
                Thresholds limits = thresholds.get(score.getKey());
                strength = Math.max(strength, score.getValue() / Math.max(1e-6, limits.match()));
                match |= score.getValue() >= limits.match();
                review |= score.getValue() >= limits.review();
            }
            MatchDecision decision = match ? MatchDecision.MATCHED : review ? MatchDecision.REVIEW : MatchDecision.NEW_PROVISIONAL;
            String species = gallery.get(individualId).map(IndividualUpdate::getSpecies).orElse(null);
            ranked.add(new Candidate(0, individualId, species, byMatcher, decision, strength));
        });
        ranked.sort(Comparator.comparingDouble(Candidate::strength).reversed().thenComparing(Candidate::individualId));
        List<Candidate> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            Candidate c = ranked.get(i);
            int rank = i > 0 && c.strength() == ranked.get(i - 1).strength() ? shown.get(i - 1).rank() : i + 1;
            shown.add(new Candidate(rank, c.individualId(), c.species(), c.scores(), c.decision(), c.strength()));
        }
        return shown;
    }
}
