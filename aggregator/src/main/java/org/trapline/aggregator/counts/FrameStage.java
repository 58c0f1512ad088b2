package org.trapline.aggregator.counts;

import java.util.Map;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The frame stage, keyed by frame: puts together what the detector said of a frame, what the identifier saw
 * on it (its sightings) and what reviewers decided about it (its corrections), in whichever order they come
 * (the reviewers' workbench reads its store), and tells the
 * resolving stage of every sighting whose counted form changed: an {@link Message.Arrival} with the
 * sighting as it is now (a new one, a renamed species, a recounted box, an animal on a frame the detector
 * called empty), or a {@link Message.Withdrawn} for one that is no longer there (the frame is empty after
 * all, the box was false or held a person). A sighting read again unchanged, or a correction applied
 * before, sends nothing.
 */
final class FrameStage implements Processor<String, Message, String, Message> {

    private final String storeName;
    private ProcessorContext<String, Message> context;
    private KeyValueStore<String, FrameReview> frames;

    FrameStage(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, Message> context) {
        this.context = context;
        this.frames = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, Message> record) {
        FrameReview before = java.util.Objects.requireNonNullElse(frames.get(record.key()), FrameReview.NONE);
        FrameReview after = switch (record.value()) {
            case Message.Detected detected -> before.withFrame(detected.frame());
            case Message.Arrival arrival -> before.withDetected(arrival.facts());
            case Message.Corrected corrected -> before.apply(corrected.correction());
            default -> throw new IllegalArgumentException("the frame stage cannot take " + record.value());
        };
        if (after.equals(before)) {
            return;
        }
        Map<String, SightingFacts> was = before.sightings();
        Map<String, SightingFacts> is = after.sightings();
        for (String sightingId : FrameReview.changed(was, is)) {
            SightingFacts now = is.get(sightingId);
            Message message = now != null ? new Message.Arrival(now) : new Message.Withdrawn(sightingId);
            context.forward(record.withKey(sightingId).withValue(message));
        }
        frames.put(record.key(), after);
    }
}
