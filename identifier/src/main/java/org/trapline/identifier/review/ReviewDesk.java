package org.trapline.identifier.review;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.gallery.GalleryChanges;
import org.trapline.identifier.life.LifeHistoryEdit;
import org.trapline.identifier.life.LifeHistoryRules;
import org.trapline.identifier.species.AnimalSpecies;
import org.trapline.schema.IndividualChange;
import org.trapline.schema.IndividualStatus;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.MatchDecision;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sex;
import org.trapline.schema.Sighting;

/**
 * What people decide about individuals, as Wildbook lets them: confirm a proposed match, reject it (the
 * animal is new), merge two individuals that are one, split one that is two, name an individual, record
 * what is known of its life (sex, age, birth, mother, death, marks). Each decision is checked against the
 * gallery ({@link LifeHistoryRules} for lives) and turned into the records that carry it: gallery updates,
 * the sighting as it now reads, and its removal from the review queue. Nothing changes here: the
 * identifier commits the records, then applies them.
 *
 * <p>Life histories through merges and splits: a merge combines both (see {@link LifeHistoryRules#merged});
 * two known, different sexes need the reviewer to say which stands, and the young of the absorbed individual
 * are the survivor's young from then on. A split leaves the life history with the individual that keeps the
 * id and gives the new one none: what was recorded was recorded of the animal that id stands for, and
 * nobody has yet looked at the other animal's sex, age, birth or mother.
 */
public final class ReviewDesk {

    /** The records one decision writes, in one transaction. */
    public record Change(List<IndividualUpdate> individuals, List<Sighting> sightings, List<String> resolvedReviews) {
        public Change {
            individuals = List.copyOf(individuals);
            sightings = List.copyOf(sightings);
            resolvedReviews = List.copyOf(resolvedReviews);
        }
    }

    private final Gallery gallery;
    private final Map<String, Sighting> queue = new LinkedHashMap<>();
    private final int maxReferences;
    private final Clock clock;
    private final LifeHistoryRules lives;

    public ReviewDesk(Gallery gallery, int maxReferences, Clock clock) {
        this.gallery = gallery;
        this.maxReferences = maxReferences;
        this.clock = clock;
        this.lives = new LifeHistoryRules(gallery, clock);
    }

    /** The rules life histories are held to, over this desk's gallery. */
    public LifeHistoryRules lives() {
        return lives;
    }

    /** Sightings waiting for a person, oldest first. */
    public Collection<Sighting> queue() {
        return List.copyOf(queue.values());
    }

    public Optional<Sighting> queued(String sightingId) {
        return Optional.ofNullable(queue.get(sightingId));
    }

    public void enqueue(Sighting sighting) {
        queue.put(sighting.getSightingId(), sighting);
    }

    public void clear() {
        queue.clear();
    }

    /** Applies a committed change: the gallery takes the new states, resolved sightings leave the queue. */
    public void apply(Change change) {
        change.individuals().forEach(gallery::apply);
        change.resolvedReviews().forEach(queue::remove);
    }

    /** The queued sighting is the individual it was proposed as (or any other the reviewer names). */
    public Change confirm(String sightingId, String individualId, String actor) throws ReviewException {
        Sighting sighting = waiting(sightingId);
        IndividualUpdate individual = live(individualId);
        refuseIfSeenTogether(individual, List.of(sightingId));
        IndividualUpdate update = GalleryChanges.seenAgain(individual, sighting, GalleryChanges.reference(sighting, null,
                Optional.empty()), maxReferences, IndividualChange.CONFIRMED, IndividualStatus.CONFIRMED, clock.instant(),
                actor, "review: confirmed sighting " + sightingId);
        Sighting now = Sighting.newBuilder(sighting).setDecision(MatchDecision.MATCHED)
                .setIndividualId(individual.getIndividualId()).build();
        return new Change(List.of(update), List.of(now), List.of(sightingId));
    }

    /** The queued sighting is none of its candidates: a new individual. */
    public Change reject(String sightingId, String actor) throws ReviewException {
        Sighting sighting = waiting(sightingId);
        String id = GalleryChanges.newIndividualId("rejected:" + sightingId);
        IndividualUpdate created = GalleryChanges.created(id, sighting,
                GalleryChanges.reference(sighting, null, Optional.empty()), IndividualStatus.PROVISIONAL, clock.instant(),
                actor, "review: none of the candidates");
        Sighting now = Sighting.newBuilder(sighting).setDecision(MatchDecision.NEW_PROVISIONAL).setIndividualId(id).build();
        return new Change(List.of(created), List.of(now), List.of(sightingId));
    }

    /** {@code absorbedId} was {@code survivorId} all along: its sightings and references move over. */
    public Change merge(String survivorId, String absorbedId, String actor) throws ReviewException {
        return merge(survivorId, absorbedId, null, actor);
    }

    /**
     * {@code absorbedId} was {@code survivorId} all along: its sightings, references and young move over and
     * the two life histories become one; {@code sexNamed} (may be null) is the sex the reviewer says the
     * animal is, needed when the two were recorded as different sexes (409 otherwise).
     */
    public Change merge(String survivorId, String absorbedId, Sex sexNamed, String actor) throws ReviewException {
        if (survivorId.equals(absorbedId)) {
            throw new ReviewException(409, "an individual cannot be merged into itself");
        }
        IndividualUpdate survivor = live(survivorId);
        IndividualUpdate absorbed = live(absorbedId);
        if (!survivor.getSpecies().equals(absorbed.getSpecies())) {
            throw new ReviewException(409, "cannot merge a " + absorbed.getSpecies() + " into a " + survivor.getSpecies());
        }
        refuseIfSeenTogether(survivor, absorbed.getSightingIds());
        if (isMotherOf(survivor, absorbed) || isMotherOf(absorbed, survivor)) {
            IndividualUpdate mother = isMotherOf(survivor, absorbed) ? survivor : absorbed;
            throw new ReviewException(409, mother.getIndividualId() + " is the mother of "
                    + (mother == survivor ? absorbedId : survivorId) + ": a mother and her young are two animals");
        }
        IndividualStatus status = survivor.getStatus() == IndividualStatus.CONFIRMED
                || absorbed.getStatus() == IndividualStatus.CONFIRMED ? IndividualStatus.CONFIRMED : survivor.getStatus();
        Map<String, Instant> times = new LinkedHashMap<>(survivor.getSightingTimes());
        times.putAll(absorbed.getSightingTimes());
        IndividualUpdate.Builder mergedState = IndividualUpdate.newBuilder(survivor)
                .setChange(IndividualChange.MERGED)
                .setStatus(status)
                .setTime(clock.instant())
                .setName(survivor.getName() != null ? survivor.getName() : absorbed.getName())
                .setSiteIds(GalleryChanges.union(survivor.getSiteIds(), absorbed.getSiteIds()))
                .setReferences(GalleryChanges.union(survivor.getReferences(), absorbed.getReferences()))
                .setMergedFrom(GalleryChanges.union(survivor.getMergedFrom(),
                        GalleryChanges.union(List.of(absorbedId), absorbed.getMergedFrom())))
                .setActor(actor)
                .setNote("review: merged " + absorbedId + " into " + survivorId
                        + (sexNamed != null ? ", its sex " + sexNamed + " as the reviewer said" : ""));
        GalleryChanges.withSightings(mergedState, GalleryChanges.union(survivor.getSightingIds(), absorbed.getSightingIds()),
                times);
        IndividualUpdate merged = mergedState
                .setLifeHistory(LifeHistoryRules.merged(survivor, absorbed, sexNamed, mergedState.getLastSeen()))
                .build();
        IndividualUpdate gone = GalleryChanges.withSightings(IndividualUpdate.newBuilder(absorbed)
                        .setChange(IndividualChange.MERGED)
                        .setStatus(IndividualStatus.MERGED)
                        .setTime(clock.instant())
                        .setMergedInto(survivorId)
                        .setReferences(List.of())
                        .setActor(actor)
                        .setNote("review: merged into " + survivorId), List.of(), Map.of())
                .build();
        // the absorbed one's young are the survivor's now, so that a mother always names a live individual
        List<IndividualUpdate> young = new ArrayList<>();
        for (IndividualUpdate child : lives.young(absorbedId)) {
            young.add(IndividualUpdate.newBuilder(child)
                    .setChange(IndividualChange.UPDATED)
                    .setTime(clock.instant())
                    .setLifeHistory(LifeHistory.newBuilder(child.getLifeHistory()).setMotherId(survivorId).build())
                    .setActor(actor)
                    .setNote("review: mother " + absorbedId + " merged into " + survivorId)
                    .build());
        }
        Map<String, IndividualUpdate> changed = new LinkedHashMap<>();
        changed.put(absorbedId, gone);
        changed.put(survivorId, merged);
        young.forEach(y -> changed.put(y.getIndividualId(), y));
        lives.check(merged, changed, 409);
        List<IndividualUpdate> records = new ArrayList<>(List.of(gone, merged));
        records.addAll(young);
        // the absorbed one first: a reader that stops between the two never sees its sightings twice
        return new Change(records, List.of(), List.of());
    }

    private static boolean isMotherOf(IndividualUpdate mother, IndividualUpdate young) {
        return young.getLifeHistory() != null && mother.getIndividualId().equals(young.getLifeHistory().getMotherId());
    }

    /**
     * What is known of an individual's life, changed as the reviewer says, if {@link LifeHistoryRules} let it
     * stand (422 with the rule otherwise).
     */
    public Change editLifeHistory(String individualId, LifeHistoryEdit edit, String actor) throws ReviewException {
        IndividualUpdate individual = live(individualId);
        LifeHistory history = edit.applyTo(individual.getLifeHistory(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        IndividualUpdate updated = IndividualUpdate.newBuilder(individual)
                .setChange(IndividualChange.UPDATED)
                .setTime(clock.instant())
                .setLifeHistory(history)
                .setActor(actor)
                .setNote("life history: " + edit.describe())
                .build();
        lives.check(updated, Map.of(), 422);
        return new Change(List.of(updated), List.of(), List.of());
    }

    /** Some of an individual's sightings are another animal: they become a new individual. */
    public Change split(String individualId, List<String> sightingIds, String name, String actor) throws ReviewException {
        IndividualUpdate original = live(individualId);
        Set<String> moving = new HashSet<>(sightingIds);
        if (moving.isEmpty()) {
            throw new ReviewException(400, "name the sightings (sightingIds) that are another animal");
        }
        List<String> foreign = sightingIds.stream().filter(s -> !original.getSightingIds().contains(s)).toList();
        if (!foreign.isEmpty()) {
            throw new ReviewException(409, "sightings " + foreign + " are not " + individualId + "'s");
        }
        if (moving.size() == original.getSightingIds().size()) {
            throw new ReviewException(409, "a split must leave " + individualId + " at least one sighting (rename it instead)");
        }
        List<ReferenceCrop> movingReferences = new ArrayList<>();
        List<ReferenceCrop> staying = new ArrayList<>();
        for (ReferenceCrop reference : original.getReferences()) {
            (moving.contains(reference.getSightingId()) ? movingReferences : staying).add(reference);
        }
        String newId = GalleryChanges.newIndividualId("split:" + individualId + ":" + UUID.randomUUID());
        IndividualUpdate kept = GalleryChanges.withSightings(IndividualUpdate.newBuilder(original)
                        .setChange(IndividualChange.SPLIT)
                        .setTime(clock.instant())
                        .setReferences(staying)
                        .setActor(actor)
                        .setNote("review: split " + sightingIds.size() + " sightings off as " + newId),
                original.getSightingIds().stream().filter(s -> !moving.contains(s)).toList(), original.getSightingTimes())
                .build();
        // no life history for the new one: nobody has recorded anything of this animal yet (see the class)
        IndividualUpdate created = GalleryChanges.withSightings(IndividualUpdate.newBuilder()
                        .setIndividualId(newId)
                        .setChange(IndividualChange.SPLIT)
                        .setStatus(IndividualStatus.CONFIRMED)  // a person looked at these sightings and set them apart
                        .setTime(clock.instant())
                        .setSpecies(original.getSpecies())
                        .setName(name)
                        .setSiteIds(original.getSiteIds())
                        .setSplitFrom(individualId)
                        .setReferences(movingReferences)
                        .setActor(actor)
                        .setNote("review: split from " + individualId),
                original.getSightingIds().stream().filter(moving::contains).toList(), original.getSightingTimes())
                .build();
        return new Change(List.of(kept, created), List.of(), List.of());
    }

    /** The name biologists know the animal by. */
    public Change rename(String individualId, String name, String actor) throws ReviewException {
        if (name == null || name.isBlank()) {
            throw new ReviewException(400, "a name is needed");
        }
        IndividualUpdate individual = live(individualId);
        return new Change(List.of(IndividualUpdate.newBuilder(individual).setChange(IndividualChange.RENAMED)
                .setTime(clock.instant()).setName(name.strip()).setActor(actor).setNote(null).build()), List.of(), List.of());
    }

    /** A provisional individual is a real, distinct animal. */
    public Change confirmIndividual(String individualId, String actor) throws ReviewException {
        IndividualUpdate individual = live(individualId);
        return new Change(List.of(IndividualUpdate.newBuilder(individual).setChange(IndividualChange.CONFIRMED)
                .setStatus(IndividualStatus.CONFIRMED).setTime(clock.instant()).setActor(actor).setNote(null).build()),
                List.of(), List.of());
    }

    /**
     * Retires the provisional individuals of species that cannot be told apart ({@code unmarked}, by a gallery's
     * species key), made before the configuration said so, and takes their species' sightings off the review queue:
     * no person can confirm which deer a deer is. Their sightings stay counted, as sightings and events, with no
     * individual. Confirmed individuals are kept: a person said they are real animals, and only a person takes
     * that back. Running it again retires nothing more.
     */
    public Change retireUnmarked(Predicate<String> unmarked, String actor) {
        Instant now = clock.instant();
        List<IndividualUpdate> retired = gallery.live().stream()
                .filter(i -> i.getStatus() == IndividualStatus.PROVISIONAL && unmarked.test(i.getSpecies()))
                .map(i -> IndividualUpdate.newBuilder(i).setChange(IndividualChange.RETIRED)
                        .setStatus(IndividualStatus.RETIRED).setTime(now).setActor(actor)
                        .setNote(i.getSpecies() + " is unmarked: its animals cannot be told apart, so they are counted"
                                + " by events, not as individuals").build())
                .toList();
        List<String> resolved = queue.values().stream()
                .filter(s -> unmarked.test(AnimalSpecies.of(s).key()))
                .map(Sighting::getSightingId)
                .toList();
        return new Change(retired, List.of(), resolved);
    }

    private Sighting waiting(String sightingId) throws ReviewException {
        Sighting sighting = queue.get(sightingId);
        if (sighting == null) {
            throw new ReviewException(404, "sighting '" + sightingId + "' is not waiting for review");
        }
        return sighting;
    }

    private IndividualUpdate live(String individualId) throws ReviewException {
        IndividualUpdate individual = gallery.get(individualId)
                .orElseThrow(() -> new ReviewException(404, "no individual '" + individualId + "'"));
        if (!Gallery.isLive(individual)) {
            throw new ReviewException(409, "individual '" + individualId + "' is " + individual.getStatus()
                    + (individual.getMergedInto() != null ? " into '" + individual.getMergedInto() + "'" : ""));
        }
        return individual;
    }

    /** Wildbook's rule: two animals in one frame are never the same individual. */
    private static void refuseIfSeenTogether(IndividualUpdate individual, List<String> sightingIds) throws ReviewException {
        Set<String> frames = new HashSet<>();
        individual.getSightingIds().forEach(s -> frames.add(GalleryChanges.frameOf(s)));
        for (String sightingId : sightingIds) {
            if (frames.contains(GalleryChanges.frameOf(sightingId)) && !individual.getSightingIds().contains(sightingId)) {
                throw new ReviewException(409, individual.getIndividualId() + " is already seen in frame "
                        + GalleryChanges.frameOf(sightingId) + ": two animals in one frame cannot be the same individual");
            }
        }
    }
}
