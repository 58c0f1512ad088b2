package org.trapline.aggregator.counts;

import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The individual stage, keyed by individual: keeps each individual's latest update and the sightings that
 * are its own now (where, when, which camera), as the resolving stage decides them, so through every merge
 * and split. It tells each site where the individual was seen what that site needs of it (a
 * {@link Message.Profile}): when the individual is first seen there, whenever its life history, species or
 * name changes, and when it has no sighting there any more. This is how a site's demography learns the sex,
 * age and birth of animals whose updates are partitioned by individual, not by site.
 */
final class IndividualProcessor implements Processor<String, Message, String, Message> {

    private ProcessorContext<String, Message> context;
    private KeyValueStore<String, IndividualRecord> records;
    private KeyValueStore<String, String> sightings;

    @Override
    public void init(ProcessorContext<String, Message> context) {
        this.context = context;
        this.records = context.getStateStore(CountStores.INDIVIDUALS);
        this.sightings = context.getStateStore(CountStores.INDIVIDUAL_SIGHTINGS);
    }

    @Override
    public void process(Record<String, Message> record) {
        String individualId = record.key();
        switch (record.value()) {
            case Message.Individual individual -> update(record, individualId, individual.record());
            case Message.Membership membership -> membership(record, individualId, membership);
            default -> throw new IllegalArgumentException("the individual stage cannot take " + record.value());
        }
    }

    private void update(Record<String, Message> record, String individualId, IndividualRecord after) {
        SiteProfile before = profile(individualId);
        if (after == null) {
            records.delete(individualId);
        } else {
            records.put(individualId, after);
        }
        SiteProfile now = profile(individualId);
        if (!now.equals(before)) {
            for (String site : sitesOf(individualId)) {
                context.forward(record.withKey(site).withValue(new Message.Profile(individualId, now)));
            }
        }
    }

    private void membership(Record<String, Message> record, String individualId, Message.Membership m) {
        String atSite = Keys.prefix(individualId, m.siteId());
        String key = atSite + Keys.time(m.time()) + Keys.SEPARATOR + m.sightingId();
        boolean seenThereBefore = any(atSite);
        if (m.member()) {
            sightings.put(key, m.cameraId());
        } else {
            sightings.delete(key);
        }
        boolean seenThereNow = any(atSite);
        if (seenThereNow != seenThereBefore) {
            context.forward(record.withKey(m.siteId())
                    .withValue(new Message.Profile(individualId, seenThereNow ? profile(individualId) : null)));
        }
    }

    private SiteProfile profile(String individualId) {
        IndividualRecord known = records.get(individualId);
        return known == null ? SiteProfile.UNKNOWN : known.profile();
    }

    /** Whether any sighting lies under this prefix. */
    private boolean any(String prefix) {
        return Scans.first(sightings, prefix) != null;
    }

    private List<String> sitesOf(String individualId) {
        return Scans.distinctNext(sightings, Keys.prefix(individualId));
    }
}
