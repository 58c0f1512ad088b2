package org.trapline.identifier.identification;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.trapline.identifier.state.CommittedState;
import org.trapline.identifier.state.IdentifierState;
import org.trapline.runtime.loop.LoopClients;
import org.trapline.runtime.loop.LoopSettings;
import org.trapline.runtime.loop.TransactionalLoop;
import org.trapline.topics.Topics;

/**
 * The identifier's loop: each poll of {@code detections} identified ({@link FrameIdentification}) and committed in
 * one transaction with its sightings, gallery updates, review-queue entries, camera sequences and offsets, under
 * the state's lock. The state is read back from its topics before the first poll and again after an aborted
 * batch, so that what the service holds in memory is always what was committed.
 */
public final class IdentificationLoop extends TransactionalLoop<ConsumerRecords<byte[], byte[]>> {

    private final IdentifierState state;
    private final CommittedState committed;
    private final FrameIdentification identification;

    public IdentificationLoop(LoopSettings settings, LoopClients clients, IdentifierState state, CommittedState committed,
                              FrameIdentification identification) {
        super(settings, clients, List.of(Topics.DETECTIONS.name()), ReadAhead.NONE, state.lock());
        this.state = state;
        this.committed = committed;
        this.identification = identification;
    }

    @Override
    protected void restore() {
        state.rebuild(committed);
    }

    @Override
    protected ConsumerRecords<byte[], byte[]> begin(ConsumerRecords<byte[], byte[]> records) {
        return records;  // identified in the transaction, under the lock
    }

    @Override
    protected void produce(ConsumerRecords<byte[], byte[]> records, Producer<byte[], byte[]> producer) {
        identification.identify(records, producer);
    }

    @Override
    protected void aborted(ConsumerRecords<byte[], byte[]> records, Exception cause) {
        state.rebuild(committed);  // memory holds the aborted batch's changes, the topics do not
    }
}
