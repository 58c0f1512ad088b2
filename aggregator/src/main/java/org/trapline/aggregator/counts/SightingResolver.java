package org.trapline.aggregator.counts;

import java.util.Objects;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The resolving stage, keyed by sighting: decides which individual each sighting belongs to now (see
 * {@link Resolution#current()}) from the gallery's claims and fallbacks, whichever order they come in.
 * A sighting goes to the counting stage once, keyed by its site, however often it is sent; afterwards
 * only a change of its individual does. The individual stage hears of the same changes, keyed by
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
            case Message.Arrival arrival -> before.withFacts(before.facts() == null ? arrival.facts()
                    // a re-sent sighting is counted once; only the identifier's own decision may have changed
                    : before.facts().withIndividualId(arrival.facts().individualId()));
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
