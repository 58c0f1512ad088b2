package org.trapline.aggregator.counts;

import java.util.Objects;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The resolving stage, keyed by sighting: decides which individual each sighting belongs to now (see
 * {@link Resolution#current()}) from the gallery's claims and fallbacks, whichever order they come in.
 * A sighting goes to the counting stage once, keyed by its site; afterwards only a change of its
 * individual does, or, when a reviewer changed it, its old form uncounted and its new one counted. The individual stage hears of the same changes, keyed by
 * individual: which sightings (where and when) each individual has now.
 */
final class SightingResolver implements Processor<String, Message, String, Message> {

    private final String storeName;
    private ProcessorContext<String, Message> context;
    private KeyValueStore<String, Resolution> resolutions;

    SightingResolver(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Message> context) {
        this.context = context;
        this.resolutions = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, Message> record) {
        String sightingId = record.key();
        Resolution before = resolutions.get(sightingId);
        if (before == null) {
            before = Resolution.NONE;
        }
        Resolution after = switch (record.value()) {
            case Message.Arrival arrival -> {
                // the frame stage sends a sighting when it is new or has changed: a change of what is counted
                // (species, animals) takes the old contribution back first; a change of the identifier's own
                // individual alone is followed as the gallery's changes are, below
                if (before.counted() && arrival.facts().countsDifferently(before.facts())) {
                    before = uncount(record, before);
                }
                yield before.withFacts(arrival.facts());
            }
            case Message.Withdrawn withdrawn -> (before.counted() ? uncount(record, before) : before).withFacts(null);
            case Message.Claim claim -> before.withClaim(claim.individualId(), claim.listed(), claim.time());
            case Message.Fallback fallback -> before.withFallback(fallback.ownIndividualId(), fallback.individualId());
            default -> throw new IllegalArgumentException("the resolving stage cannot take " + record.value());
        };
        if (after.facts() != null) {
            String individual = after.current();
            if (!after.counted()) {
                after = after.countedFor(individual);
                forward(record, after, new Message.Counted(after.facts(), individual));
                membership(record, after.facts(), individual, true);
            } else if (!Objects.equals(individual, after.individualId())) {
                membership(record, after.facts(), after.individualId(), false);
                after = after.countedFor(individual);
                forward(record, after, new Message.Reassigned(sightingId, after.facts().time(), individual));
                membership(record, after.facts(), individual, true);
            }
        }
        resolutions.put(sightingId, after);
    }

    /** Takes a counted sighting back out of the counts and out of its individual's sightings. */
    private Resolution uncount(Record<String, Message> record, Resolution counted) {
        forward(record, counted, new Message.Uncounted(counted.facts()));
        membership(record, counted.facts(), counted.individualId(), false);
        return counted.uncounted();
    }

    private void forward(Record<String, Message> record, Resolution resolution, Message message) {
        context.forward(record.withKey(resolution.facts().siteId()).withValue(message));
    }

    private void membership(Record<String, Message> record, SightingFacts f, String individual, boolean member) {
        if (individual != null) {
            context.forward(record.withKey(individual)
                    .withValue(new Message.Membership(f.sightingId(), f.siteId(), f.cameraId(), f.time(), member)));
        }
    }
}
