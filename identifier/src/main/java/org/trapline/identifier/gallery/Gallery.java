package org.trapline.identifier.gallery;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.trapline.identifier.match.Match;
import org.trapline.identifier.match.Matcher;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.ReferenceCrop;

/**
 * The known individuals as the latest {@link IndividualUpdate} of each, and the matchers that find them.
 * Every reference crop is enrolled once, under a key of its own; which individual owns a key is kept here,
 * so that a merge or a split only moves keys. Searches look only at the crop's species. Not thread-safe:
 * the identifier changes it under one lock.
 */
public final class Gallery {

    /** Reads a reference's crop when a matcher must see it again (on start, or after a split). */
    public interface CropLoader {
        BufferedImage load(ReferenceCrop reference) throws Exception;
    }

    private final Function<String, List<Matcher>> matchersForSpecies;
    private final CropLoader loader;
    private final Map<String, IndividualUpdate> individuals = new LinkedHashMap<>();
    private final Map<String, String> ownerOfReference = new HashMap<>();
    private final Map<String, String> ownerOfSighting = new HashMap<>();
    private final Map<String, List<Matcher>> matchers = new HashMap<>();
    private final Set<String> enrolled = new HashSet<>();
    private final List<String> enrolmentFailures = new ArrayList<>();

    /** @param matchersForSpecies makes the (empty) matchers one species is searched with */
    public Gallery(Function<String, List<Matcher>> matchersForSpecies, CropLoader loader) {
        this.matchersForSpecies = matchersForSpecies;
        this.loader = loader;
    }

    /** The key a reference is enrolled under: its sighting, or its frame and box. */
    public static String referenceKey(ReferenceCrop reference) {
        return reference.getSightingId() != null ? reference.getSightingId()
                : reference.getFrameId() + "@" + reference.getBbox().getX() + "," + reference.getBbox().getY();
    }

    /** The matchers a species is searched with, made on first use. */
    public List<Matcher> matchers(String species) {
        return matchers.computeIfAbsent(species, matchersForSpecies);
    }

    /** Whether some matcher of the species already knows this key (enrolled on its way in). */
    public boolean isEnrolled(String species, String key) {
        return enrolled.contains(species + "\u0000" + key);
    }

    /** Records that the caller enrolled a key itself, with features it had already computed. */
    public void markEnrolled(String species, String key) {
        enrolled.add(species + "\u0000" + key);
    }

    /**
     * Takes an individual's new state: its references and sightings now belong to it, those it no longer
     * lists to nobody (until another individual's update claims them). References no matcher knows yet
     * are enrolled, from stored features where the matcher keeps them, else from the crop.
     */
    public void apply(IndividualUpdate update) {
        IndividualUpdate previous = individuals.put(update.getIndividualId(), update);
        if (previous != null) {
            previous.getSightingIds().forEach(s -> ownerOfSighting.remove(s, update.getIndividualId()));
            previous.getReferences().forEach(r -> ownerOfReference.remove(referenceKey(r), update.getIndividualId()));
        }
        if (!isLive(update)) {
            return;
        }
        update.getSightingIds().forEach(s -> ownerOfSighting.put(s, update.getIndividualId()));
        for (ReferenceCrop reference : update.getReferences()) {
            String key = referenceKey(reference);
            ownerOfReference.put(key, update.getIndividualId());
            if (!isEnrolled(update.getSpecies(), key)) {
                enrol(update.getSpecies(), key, reference);
            }
        }
    }

    private void enrol(String species, String key, ReferenceCrop reference) {
        BufferedImage crop = null;
        for (Matcher matcher : matchers(species)) {
            try {
                boolean stored = matcher.name().equals(reference.getMatcher()) && !reference.getEmbedding().isEmpty()
                        && matcher.enrolStored(key, toArray(reference.getEmbedding()));
                if (!stored) {
                    crop = crop != null ? crop : loader.load(reference);
                    matcher.probe(crop).enrol(key);
                }
            } catch (Exception e) {
                // the individual stays known; this reference just cannot be matched against
                enrolmentFailures.add(key + " (" + matcher.name() + "): " + e.getMessage());
            }
        }
        markEnrolled(species, key);
    }

    /**
     * The individuals most like a crop, per matcher, best first: each matcher's keys mapped to their
     * owners, an individual scoring as its best reference; merged-away and unowned keys left out.
     */
    public Map<String, List<Match>> candidates(Map<String, Matcher.Probe> probes, int k) {
        Map<String, List<Match>> result = new LinkedHashMap<>();
        probes.forEach((matcherName, probe) -> {
            Map<String, Match> best = new LinkedHashMap<>();
            // keys are references: ask for enough of them to fill k individuals
            for (Match hit : probe.candidates(Math.max(k * 10, 50))) {
                String owner = ownerOfReference.get(hit.individualId());
                if (owner != null && (!best.containsKey(owner) || best.get(owner).score() < hit.score())) {
                    best.put(owner, new Match(owner, hit.score(), matcherName));
                }
            }
            result.put(matcherName, best.values().stream()
                    .sorted((a, b) -> Float.compare(b.score(), a.score())).limit(k).toList());
        });
        return result;
    }

    public Optional<IndividualUpdate> get(String individualId) {
        return Optional.ofNullable(individuals.get(individualId));
    }

    /** The individual an id now stands for: itself, or the one it was merged into. */
    public Optional<IndividualUpdate> resolve(String individualId) {
        IndividualUpdate current = individuals.get(individualId);
        Set<String> seen = new HashSet<>();
        while (current != null && current.getStatus() == IndividualStatus.MERGED && current.getMergedInto() != null
                && seen.add(current.getIndividualId())) {
            current = individuals.get(current.getMergedInto());
        }
        return Optional.ofNullable(current);
    }

    /** The live individual whose sightings list this one. */
    public Optional<IndividualUpdate> ownerOfSighting(String sightingId) {
        return Optional.ofNullable(ownerOfSighting.get(sightingId)).map(individuals::get);
    }

    /** Individuals that are neither merged away nor retired. */
    public List<IndividualUpdate> live() {
        return individuals.values().stream().filter(Gallery::isLive).toList();
    }

    public Collection<IndividualUpdate> all() {
        return individuals.values();
    }

    /** References that could not be enrolled (their crop gone or unreadable), for the log and the API. */
    public List<String> enrolmentFailures() {
        return List.copyOf(enrolmentFailures);
    }

    public static boolean isLive(IndividualUpdate individual) {
        return individual.getStatus() != IndividualStatus.MERGED && individual.getStatus() != IndividualStatus.RETIRED;
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
