package org.trapline.species.event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.trapline.species.result.SpeciesResult;
import org.trapline.species.taxonomy.LabelKind;
import org.trapline.species.taxonomy.Taxon;

/**
 * Decides one label per species for the frames of one event (a burst, a sequence): a single animal seen
 * on five frames is one species even if one frame took it for another, and an answer rolled up on a
 * blurred frame takes the species a sharp frame of the same event named.
 *
 * <ol>
 * <li>Only animal answers vote; blank, human and vehicle answers keep their own (they are flags of
 *     disagreement with the detector, for a reviewer).</li>
 * <li>The candidates are the finest taxa named: an answer coarser than another (cat family beside
 *     cougar) does not compete with it but supports it. Each candidate's weight is the summed score
 *     of the answers that name exactly it; the heaviest wins, and every answer compatible with it
 *     (the same, coarser, or finer) joins its group.</li>
 * <li>The next heaviest remaining candidate is a second species only if its group's score is at least
 *     {@code minShare} of the event's animal score, or if it was named on a frame beside a member of
 *     a group already kept (two boxes, two animals, named differently). Otherwise it was one animal
 *     misnamed, and its answers take the first group's label. And so on for further species.</li>
 * <li>Every answer takes its group's label, with the winning answers' mean score. A coarse answer
 *     compatible with two kept species keeps its own: it cannot be told which it was.</li>
 * </ol>
 */
public final class EventLabels {

    private final double minShare;

    /** @param minShare a second species' least share of the event's animal score, e.g. 0.3 */
    public EventLabels(double minShare) {
        if (!(minShare > 0 && minShare <= 1)) {
            throw new IllegalArgumentException("the least share of a second species must be in (0, 1], not " + minShare);
        }
        this.minShare = minShare;
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
        List<Integer> outvoted = new ArrayList<>();
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
            if (kept.isEmpty() || weight >= minShare * total || besideKept(members, group, kept)) {
                kept.add(new Group(winner, group, members));
            } else {
                outvoted.addAll(group);
            }
        }

        Group first = kept.get(0);
        for (int i : animals) {
            SpeciesResult own = members.get(i).result();
            Group target = null;
            if (outvoted.contains(i)) {
                target = first;
            } else {
                List<Group> compatible = kept.stream().filter(g -> g.winner.compatibleWith(own.taxon())).toList();
                if (compatible.size() == 1) {
                    target = compatible.get(0);
                }
            }
            if (target != null && !target.winner.equals(own.taxon())) {
                results.set(i, own.relabelled(target.winner, target.label, target.score));
            }
        }
        return results;
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
            this.members = members;
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
