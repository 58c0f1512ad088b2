package org.trapline.aggregator.review;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.trapline.aggregator.counts.CorrectionFacts;
import org.trapline.aggregator.counts.CountStores;
import org.trapline.aggregator.counts.FrameInfo;
import org.trapline.aggregator.counts.FrameReview;
import org.trapline.aggregator.counts.SightingFacts;
import org.trapline.aggregator.counts.Wilson;
import org.trapline.aggregator.http.LocalStores;

/**
 * What the reviewers' workbench reads, from the frame stage's store ({@link FrameReview} per frame): the queue
 * of frames to look at, one frame with the networks' answers and what reviewers decided, and the two
 * checks the reviews make possible: how many frames called empty hold an animal (the blank audit), and how
 * often the species classifier's names were right.
 *
 * <p><b>The blank audit.</b> Of the frames the detector called empty, a random share goes to the queue
 * ({@code aggregator.review.audit.share}, 2%), and at each site at least the first few of each local day
 * ({@code aggregator.review.audit.min.per.day}, 3) in the same random order. The order is a hash of the frame
 * id, so the draw is the same on every instance and after every restart, and has nothing to do with what is
 * on the frame. A reviewer's answer for an audited frame (accepted or empty: empty; an animal present or a
 * box added: missed) gives the estimate: the share of audited frames that held an animal, with a Wilson
 * interval. Every checked frame weighs alike, so days with few empty frames (where the minimum draws a
 * larger share) weigh a little more than their share of frames; the audit says so beside the number.
 *
 * <p>It reads this instance's partitions of the store: one aggregator instance holds them all; with several,
 * each answers for the frames of its partitions (see docs/aggregator.md).
 */
public final class ReviewQueue {

    /** What a queue request asks for; null fields filter nothing. */
    public record Filter(String site, String camera, String species, String decision, String confidence, Instant from,
                         Instant to, boolean auditOnly, boolean unreviewedOnly, int limit) {
    }

    /** A box as the networks drew and named it, with the sighting it became (if any) as it is counted now. */
    public record BoxView(int index, String category, String label, float confidence, float[] bbox, String speciesLabel,
                          String species, Float speciesScore, String sightingId) {
    }

    /** A sighting of the frame as it is counted now: the networks', or a reviewer's. */
    public record SightingView(String sightingId, String species, String scientificName, int animals, String decision,
                               String individualId, float[] bbox, String classifiedBy, boolean accepted) {
    }

    /** One frame for the workbench. */
    public record FrameView(String frameId, String siteId, String cameraId, String deploymentId, Instant captureTime,
                            boolean calledEmpty, boolean audited, boolean imageShown, String imageWithheld,
                            float animalConfidence, int width, int height, List<BoxView> boxes,
                            List<SightingView> sightings, String verdict, String reviewer, Instant reviewedAt) {
    }

    /** The blank audit of a site. */
    public record BlankAudit(String siteId, double share, int minimumPerDay, long calledEmpty, long audited, long checked,
                             long holdingAnimals, Wilson missRate, String note) {
    }

    /** How often the classifier's name for a species was right, from reviewed sightings, at each rank. */
    public record SpeciesAccuracy(String species, long reviewed, long falseBoxes, Map<String, Wilson> rightAtRank) {
    }

    /** Ranks a name is compared at, finest first; what a name says at each is {@link ReviewTaxonomy}'s. */
    static final List<String> RANKS = List.of("species", "genus", "family", "order", "class");

    private final LocalStores stores;
    private final Function<String, ZoneId> zones;
    private final ReviewTaxonomy taxonomy;
    private final double auditShare;
    private final int auditMinPerDay;

    public ReviewQueue(LocalStores stores, Function<String, ZoneId> zones, ReviewTaxonomy taxonomy, double auditShare,
                       int auditMinPerDay) {
        this.stores = stores;
        this.zones = zones;
        this.taxonomy = taxonomy;
        this.auditShare = auditShare;
        this.auditMinPerDay = auditMinPerDay;
    }

    /** The frame's place in the audit's random order, in [0, 1): a hash of its id. */
    static double draw(String frameId) {
        return (Utils.toPositive(Utils.murmur2(frameId.getBytes(StandardCharsets.UTF_8))) + 0.5) / (Integer.MAX_VALUE + 1.0);
    }

    /** The frames matching the filter, oldest first (a reviewer works through a season in order). */
    public List<FrameView> queue(Filter filter) {
        List<FrameReview> frames = frames(filter.site());
        Set<String> audited = auditedFrames(frames);
        List<FrameView> found = new ArrayList<>();
        for (FrameReview review : frames) {
            FrameView view = view(review, audited.contains(review.frame().frameId()));
            if (matches(view, filter)) {
                found.add(view);
            }
        }
        found.sort(Comparator.comparing(FrameView::captureTime).thenComparing(FrameView::frameId));
        return found.size() > filter.limit() ? List.copyOf(found.subList(0, filter.limit())) : found;
    }

    /** One frame, if this instance holds it and the detector's answer for it was read. */
    public Optional<FrameView> frame(String frameId) {
        FrameReview review = this.<FrameReview>store().get(frameId);
        if (review == null || review.frame() == null) {
            return Optional.empty();
        }
        return Optional.of(view(review, auditedFrames(frames(review.frame().siteId())).contains(frameId)));
    }

    /** The raw review of a frame (for its image's address), if held here. */
    public Optional<FrameReview> review(String frameId) {
        return Optional.ofNullable(this.<FrameReview>store().get(frameId)).filter(r -> r.frame() != null);
    }

    public BlankAudit blankAudit(String site) {
        List<FrameReview> frames = frames(site);
        Set<String> audited = auditedFrames(frames);
        long calledEmpty = 0;
        long checked = 0;
        long holding = 0;
        for (FrameReview review : frames) {
            if (!review.frame().empty()) {
                continue;
            }
            calledEmpty++;
            if (audited.contains(review.frame().frameId()) && review.verdict() != null) {
                checked++;
                if (review.verdict().equals("ANIMAL")) {
                    holding++;
                }
            }
        }
        return new BlankAudit(site, auditShare, auditMinPerDay, calledEmpty, audited.size(), checked, holding,
                Wilson.of(holding, checked), "audited frames are a random draw of the frames called empty (a hash of the frame id): "
                + Math.round(auditShare * 1000) / 10.0 + "%, and at least " + auditMinPerDay + " a day; each checked frame weighs alike");
    }

    /** Per machine name, from the sightings reviewers accepted, renamed or removed. */
    public List<SpeciesAccuracy> speciesAccuracy(String site) {
        Map<String, long[]> tallies = new TreeMap<>();
        for (FrameReview review : frames(site)) {
            for (SightingFacts machine : review.detected().values()) {
                String name = machine.scientificName() != null ? machine.scientificName() : machine.species();
                CorrectionFacts renamed = review.species().get(machine.sightingId());
                boolean removed = review.removed().contains(machine.sightingId()) || review.empty();
                boolean accepted = review.accepted().contains(machine.sightingId());
                if (!removed && renamed == null && !accepted) {
                    continue;
                }
                // reviewed, false boxes, then right at each rank, then compared at each rank
                long[] t = tallies.computeIfAbsent(name, k -> new long[2 + 2 * RANKS.size()]);
                t[0]++;
                if (removed) {
                    t[1]++;
                    continue;
                }
                String truth = renamed != null ? renamed.scientificName() : name;
                for (int r = 0; r < RANKS.size(); r++) {
                    Optional<String> said = taxonomy.nameAt(name, RANKS.get(r));
                    Optional<String> right = taxonomy.nameAt(truth, RANKS.get(r));
                    if (said.isPresent() && right.isPresent()) {
                        t[2 + 2 * r + 1]++;
                        if (said.get().equalsIgnoreCase(right.get())) {
                            t[2 + 2 * r]++;
                        }
                    }
                }
            }
        }
        List<SpeciesAccuracy> all = new ArrayList<>();
        tallies.forEach((name, t) -> {
            Map<String, Wilson> atRank = new java.util.LinkedHashMap<>();
            for (int r = 0; r < RANKS.size(); r++) {
                if (t[2 + 2 * r + 1] > 0) {
                    atRank.put(RANKS.get(r), Wilson.of(t[2 + 2 * r], t[2 + 2 * r + 1]));
                }
            }
            all.add(new SpeciesAccuracy(name, t[0], t[1], atRank));
        });
        return all;
    }

    /** Of these frames (a site's, read once by the caller), those called empty that the audit draws. */
    Set<String> auditedFrames(List<FrameReview> frames) {
        Map<String, List<KeyValue<Double, String>>> byDay = new HashMap<>();
        Set<String> audited = new java.util.HashSet<>();
        for (FrameReview review : frames) {
            FrameInfo f = review.frame();
            if (!f.empty()) {
                continue;
            }
            double draw = draw(f.frameId());
            if (draw < auditShare) {
                audited.add(f.frameId());
            }
            LocalDate day = Instant.ofEpochMilli(f.captureTime()).atZone(zones.apply(f.siteId())).toLocalDate();
            byDay.computeIfAbsent(f.siteId() + "/" + day, k -> new ArrayList<>()).add(KeyValue.pair(draw, f.frameId()));
        }
        for (List<KeyValue<Double, String>> day : byDay.values()) {
            day.sort(Comparator.comparing(kv -> kv.key));
            day.stream().limit(auditMinPerDay).forEach(kv -> audited.add(kv.value));
        }
        return audited;
    }

    private List<FrameReview> frames(String site) {
        List<FrameReview> frames = new ArrayList<>();
        try (KeyValueIterator<String, FrameReview> all = this.<FrameReview>store().all()) {
            while (all.hasNext()) {
                FrameReview review = all.next().value;
                if (review.frame() != null && (site == null || review.frame().siteId().equals(site))) {
                    frames.add(review);
                }
            }
        }
        return frames;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store() {
        return stores.all(CountStores.FRAMES);
    }

    static FrameView view(FrameReview review, boolean audited) {
        FrameInfo f = review.frame();
        Map<String, SightingFacts> live = review.sightings();
        List<BoxView> boxes = f.boxes().stream().map(b -> {
            String sightingId = f.frameId() + ":" + b.index();
            return new BoxView(b.index(), b.category(), b.label(), b.confidence(), b.bbox(), b.speciesLabel(), b.species(),
                    b.speciesScore(), live.containsKey(sightingId) ? sightingId : null);
        }).toList();
        List<SightingView> sightings = live.values().stream().map(s -> new SightingView(s.sightingId(), s.species(),
                s.scientificName(), s.animals(), s.decision(), s.individualId(), s.bbox(), s.classifiedBy(),
                review.accepted().contains(s.sightingId()))).toList();
        String withheld = review.personSeen() ? "a reviewer saw a person on it: it is not shown until it is redacted"
                : f.showsPeople() ? "the detector found a person and the image was not redacted" : null;
        return new FrameView(f.frameId(), f.siteId(), f.cameraId(), f.deploymentId(), Instant.ofEpochMilli(f.captureTime()),
                f.empty(), audited, withheld == null, withheld, f.animalConfidence(), f.width(), f.height(), boxes, sightings,
                review.verdict(), review.reviewer(), review.reviewer() == null ? null : Instant.ofEpochMilli(review.reviewedAt()));
    }

    private static boolean matches(FrameView v, Filter filter) {
        if (filter.camera() != null && !filter.camera().equals(v.cameraId())) {
            return false;
        }
        if (filter.from() != null && v.captureTime().isBefore(filter.from())) {
            return false;
        }
        if (filter.to() != null && !v.captureTime().isBefore(filter.to())) {
            return false;
        }
        if (filter.auditOnly() && !v.audited()) {
            return false;
        }
        // a frame called empty is in the queue only when the audit drew it, or when asked for by decision
        if (v.calledEmpty() && !v.audited() && !"EMPTY".equalsIgnoreCase(filter.decision())) {
            return false;
        }
        if (filter.unreviewedOnly() && v.reviewer() != null) {
            return false;
        }
        if (filter.species() != null) {
            String wanted = filter.species().toLowerCase(Locale.ROOT);
            boolean named = v.sightings().stream().anyMatch(s -> wanted.equalsIgnoreCase(s.species())
                    || wanted.equalsIgnoreCase(s.scientificName()));
            if (!named) {
                return false;
            }
        }
        if (filter.decision() != null) {
            boolean ok = filter.decision().equalsIgnoreCase("EMPTY") ? v.calledEmpty()
                    : v.sightings().stream().anyMatch(s -> filter.decision().equalsIgnoreCase(s.decision()));
            if (!ok) {
                return false;
            }
        }
        if (filter.confidence() != null) {
            float c = v.animalConfidence();
            boolean ok = switch (filter.confidence()) {
                case "low" -> c < 0.5f;
                case "medium" -> c >= 0.5f && c < 0.8f;
                case "high" -> c >= 0.8f;
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
