package org.trapline.aggregator.counts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The gallery stage, keyed by individual: turns each individual's latest state into what it means for
 * single sightings. A sighting an update lists for the first time gets a {@link Message.Claim}; one it
 * no longer lists (or that a merged or retired individual held) gets a claim withdrawn. A sighting that
 * names an individual as its own follows that individual's merges: it is passed on to the individual it
 * was merged into (a {@link Message.Naming} back to this stage, so chains of merges are followed), and
 * the individual it ends at is sent as the sighting's {@link Message.Fallback}.
 */
final class GalleryProcessor implements Processor<String, Message, String, Message> {

    /** Chains of merges longer than this are taken for a cycle in the gallery and not followed further. */
    static final int MAX_MERGE_CHAIN = 32;

    private final String storeName;
    private ProcessorContext<String, Message> context;
    private KeyValueStore<String, GalleryEntry> gallery;

    GalleryProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Message> context) {
        this.context = context;
        this.gallery = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, Message> record) {
        String individualId = record.key();
        GalleryEntry entry = gallery.get(individualId);
        if (entry == null) {
            entry = GalleryEntry.UNKNOWN;
        }
        switch (record.value()) {
            case Message.IndividualState state -> update(record, individualId, entry, state);
            case Message.Naming naming -> named(record, individualId, entry, naming);
            default -> throw new IllegalArgumentException("the gallery stage cannot take " + record.value());
        }
    }

    private void update(Record<String, Message> record, String individualId, GalleryEntry before,
                        Message.IndividualState state) {
        GalleryEntry after = before.withState(state);
        Set<String> listedBefore = before.live() ? new LinkedHashSet<>(before.sightingIds()) : Set.of();
        Set<String> listedAfter = after.live() ? new LinkedHashSet<>(after.sightingIds()) : Set.of();
        for (String sightingId : listedAfter) {
            if (!listedBefore.contains(sightingId)) {
                send(record, sightingId, new Message.Claim(individualId, true, state.time()));
            }
        }
        for (String sightingId : listedBefore) {
            if (!listedAfter.contains(sightingId)) {
                send(record, sightingId, new Message.Claim(individualId, false, state.time()));
            }
        }
        gallery.put(individualId, after);
        if (!before.resolution().equals(after.resolution())) {
            for (Map.Entry<String, GalleryEntry.Named> named : after.namedBy().entrySet()) {
                route(record, individualId, after, named.getKey(), named.getValue(), true);
            }
        }
    }

    private void named(Record<String, Message> record, String individualId, GalleryEntry entry, Message.Naming naming) {
        GalleryEntry.Named named = new GalleryEntry.Named(naming.ownIndividualId(), naming.via());
        gallery.put(individualId, entry.withNamed(naming.sightingId(), named));
        // the usual case, a sighting naming a live individual of its own, needs no word: its own id stands
        boolean sayIt = !individualId.equals(naming.ownIndividualId()) || !entry.live();
        route(record, individualId, entry, naming.sightingId(), named, sayIt);
    }

    /** Where a sighting naming this individual ends: passed on along a merge, or settled here. */
    private void route(Record<String, Message> record, String individualId, GalleryEntry entry, String sightingId,
                       GalleryEntry.Named named, boolean sayIt) {
        String next = entry.mergedInto();
        if (GalleryEntry.MERGED.equals(entry.status()) && next != null && !next.equals(individualId)
                && !named.via().contains(next) && named.via().size() < MAX_MERGE_CHAIN) {
            List<String> via = new ArrayList<>(named.via());
            via.add(individualId);
            context.forward(record.withKey(next).withValue(new Message.Naming(sightingId, named.ownIndividualId(), via)));
        } else if (sayIt) {
            String target = entry.live() || GalleryEntry.MERGED.equals(entry.status()) ? individualId : null;
            send(record, sightingId, new Message.Fallback(named.ownIndividualId(), target));
        }
    }

    private void send(Record<String, Message> record, String sightingId, Message message) {
        context.forward(record.withKey(sightingId).withValue(message));
    }
}
