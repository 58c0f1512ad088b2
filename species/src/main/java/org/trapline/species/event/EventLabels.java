package org.trapline.species.event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Rank;
import org.trapline.species.taxonomy.Taxon;

/**
 * Decides one label per species for the frames of one event (a burst, a sequence): a single animal seen
 * on five frames is one species even if one frame took it for another, and an answer rolled up on a
 * blurred frame takes the species a sharp frame of the same event named.
 *
 * <p><b>The rule.</b> An answer is only ever replaced by a name of its event that is compatible with it:
 * <ul>
 * <li>its own lineage: the same taxon, or a finer one under it (a genus or "cat family" answer takes the
 *     species the event names under it; an "animal" or "mammal" answer may be refined to any species of
 *     the event below it, never to one outside it), or</li>
 * <li>a close relative: a taxon of the same family (class, order and family equal; a lineage with a gap
 *     at one of these ranks is close to nothing), and only while the answer's own score is under
 *     {@code relativeMaxScore} (0.8 by default) and its species is light in the event (below).</li>
 * </ul>
 * An answer is never renamed to one of its own ancestors, nor across family, order or class: a dog, a cat
 * and a pheasant in one event stay a dog, a cat and a pheasant, however many votes the dog has.
 *
 * <p><b>The vote.</b>
 * <ol>
 * <li>Only animal answers vote; blank, human and vehicle answers keep their own (they are flags of
 *     disagreement with the detector, for a reviewer).</li>
 * <li>The candidates are the finest taxa named: an answer coarser than another (cat family beside
 *     cougar) does not compete with it but supports it. Each candidate's weight is the summed score
 *     of the answers that name exactly it; the heaviest wins, and every remaining answer of its lineage
 *     (the same or coarser) joins its group.</li>
 * <li>The next heaviest remaining candidate, with the answers of its lineage, is another species of the
 *     event, unless it is one animal misnamed: its group weighs less than {@code minShare} of the event's
 *     animal score, none of its answers is on a frame beside a member of a group already kept (two boxes
 *     are two animals), and every one of its answers is a close relative of a kept group's species, scored
 *     under {@code relativeMaxScore}. Then its answers join the heaviest such kept group. Otherwise it is
 *     kept, as a species of its own. And so on for further candidates.</li>
 * <li>Every answer takes its group's label, with the winning answers' mean score. A coarse answer of the
 *     lineage of two kept species keeps its own: it cannot be told which it was.</li>
 * </ol>
 *
 * <p>Why the family: the confusions a vote can settle (cougar and lynx, red and grey fox, two deer of one
 * genus) lie within it, while a classifier's dog for a cat, or deer for a cougar, is more often a second
 * animal of the event than a misname. Why the score: an answer at 0.8 or more leaves at most 0.2 to every
 * other class together; the rank thresholds (0.65) let through answers that leave up to 0.35 to a sibling.
 *
 * <p>Modelled on MegaDetector's classification smoothing ({@code smooth_classification_results_sequence_level}
 * and the image-level one, {@code megadetector/postprocessing/classification_postprocessing.py}), which
 * counts each sequence's answers above a confidence, overwrites "other" answers ("animal", "mammal", ...)
 * with the dominant class, refines a parent into its most specific child among the sequence's classes, and
 * flips a non-dominant class to the dominant one within its family. Unlike it, the vote weighs scores
 * rather than counts, refines "animal" or "mammal" only within its lineage (a mammal never becomes the
 * sequence's bird), and has no count-based flip of a lone answer of any class to the dominant one
 * (MegaDetector's, at 4 dominant answers to 1, is the renaming across classes this rule forbids).
 */
public final class EventLabels {

    /** A second species' least share of the event's animal score, by default. */
    public static final double DEFAULT_MIN_SHARE = 0.3;
    /** The score under which an answer may be settled to a close relative, by default. */
    public static final double DEFAULT_RELATIVE_MAX_SCORE = 0.8;

    private final double minShare;
    private final double relativeMaxScore;

    /** @param minShare a second species' least share of the event's animal score, e.g. 0.3 */
    public EventLabels(double minShare) {
        this(minShare, DEFAULT_RELATIVE_MAX_SCORE);
    }

    /**
     * @param minShare         a second species' least share of the event's animal score, e.g. 0.3
     * @param relativeMaxScore an answer scored at least this keeps its own name against a close relative,
     *                         e.g. 0.8; 0 settles no answer to a relative (only within its lineage)
     */
    public EventLabels(double minShare, double relativeMaxScore) {
        if (!(minShare > 0 && minShare <= 1)) {
            throw new IllegalArgumentException("the least share of a second species must be in (0, 1], not " + minShare);
        }
        if (!(relativeMaxScore >= 0 && relativeMaxScore <= 1)) {
            throw new IllegalArgumentException("the score under which an answer may take a close relative's name must be in [0, 1], not "
                    + relativeMaxScore);
        }
        this.minShare = minShare;
        this.relativeMaxScore = relativeMaxScore;
    }

    /** The event's answers, in the order given, relabelled where the event's vote says so. */
    public List<SpeciesResult> label(List<EventMember> members) {
        List<Integer> animals = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).result().kind() == LabelKind.ANIMAL) {
                animals.add(i);
                total += members.get(i).result().score();
            }
        }
        List<SpeciesResult> results = new ArrayList<>(members.stream().map(EventMember::result).toList());
        if (animals.isEmpty()) {
            return results;
        }

        List<Group> kept = new ArrayList<>();
        Map<Integer, Group> settled = new HashMap<>();  // answers of a misnamed animal, and the relative they join
        List<Integer> remaining = new ArrayList<>(animals);
        while (!remaining.isEmpty()) {
            Taxon winner = heaviestFinest(members, remaining);
            List<Integer> group = new ArrayList<>();
            for (int i : remaining) {
                if (members.get(i).result().taxon().compatibleWith(winner)) {
                    group.add(i);
                }
            }
            remaining.removeAll(group);
            double weight = group.stream().mapToDouble(i -> members.get(i).result().score()).sum();
            Optional<Group> relative = kept.isEmpty() || weight >= minShare * total || besideKept(members, group, kept)
                    ? Optional.empty() : closeRelative(members, group, kept);
            if (relative.isPresent()) {
                group.forEach(i -> settled.put(i, relative.get()));
                relative.get().members.addAll(group);  // its boxes are the relative's now: a box beside them is another animal
            } else {
                kept.add(new Group(winner, group, members));
            }
        }

        for (int i : animals) {
            SpeciesResult own = members.get(i).result();
            Group target = settled.get(i);
            if (target == null) {
                List<Group> lineage = kept.stream().filter(g -> g.winner.compatibleWith(own.taxon())).toList();
                if (lineage.size() == 1) {
                    target = lineage.get(0);
                }
            }
            if (target != null && !target.winner.equals(own.taxon())) {
                results.set(i, own.relabelled(target.winner, target.label, target.score));
            }
        }
        return results;
    }

    /**
     * The heaviest kept group whose species every answer of {@code group} may be settled to: a close
     * relative of each (same family), each scored under {@link #relativeMaxScore}.
     */
    private Optional<Group> closeRelative(List<EventMember> members, List<Integer> group, List<Group> kept) {
        for (SpeciesResult r : group.stream().map(i -> members.get(i).result()).toList()) {
            if (!(r.score() < relativeMaxScore)) {
                return Optional.empty();
            }
        }
        return kept.stream()
                .filter(g -> group.stream().allMatch(i -> sameFamily(members.get(i).result().taxon(), g.winner)))
                .findFirst();
    }

    /**
     * Whether both are named at least to family, with class, order and family, and these are the same: a
     * lineage that leaves one of them out is close to nothing.
     */
    static boolean sameFamily(Taxon a, Taxon b) {
        Optional<Taxon> family = a.at(Rank.FAMILY);
        return family.isPresent() && family.get().className() != null && family.get().order() != null
                && family.equals(b.at(Rank.FAMILY));
    }

    /** Among the finest taxa the answers name, the one whose own answers weigh most (then the finer, then by name). */
    private static Taxon heaviestFinest(List<EventMember> members, List<Integer> indices) {
        Map<Taxon, Double> weights = new LinkedHashMap<>();
        for (int i : indices) {
            SpeciesResult r = members.get(i).result();
            weights.merge(r.taxon(), (double) r.score(), Double::sum);
        }
        List<Taxon> finest = weights.keySet().stream()
                .filter(t -> weights.keySet().stream().noneMatch(o -> !o.equals(t) && t.contains(o)))
                .toList();
        return finest.stream().max(Comparator.<Taxon>comparingDouble(weights::get)
                .thenComparing(t -> -t.rank().ordinal())
                .thenComparing(Taxon::scientificName, Comparator.reverseOrder())).orElseThrow();
    }

    private static boolean besideKept(List<EventMember> members, List<Integer> group, List<Group> kept) {
        Set<String> frames = new HashSet<>();
        for (int i : group) {
            frames.add(members.get(i).frameId());
        }
        for (Group g : kept) {
            for (int i : g.members) {
                if (frames.contains(members.get(i).frameId())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A species kept for the event: its taxon, label and score, and the answers that joined it. */
    private static final class Group {
        final Taxon winner;
        final List<Integer> members;
        final String label;
        final float score;

        Group(Taxon winner, List<Integer> members, List<EventMember> all) {
            this.winner = winner;
            this.members = new ArrayList<>(members);
            double sum = 0;
            int n = 0;
            String name = null;
            for (int i : members) {
                SpeciesResult r = all.get(i).result();
                if (r.taxon().equals(winner)) {
                    sum += r.score();
                    n++;
                    name = r.label();
                }
            }
            this.label = name;
            this.score = (float) (sum / n);
        }
    }
}
