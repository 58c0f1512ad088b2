package org.trapline.processing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * The end of a consume-process-produce batch, exactly once: the consumer's next offsets go into the
 * producer's transaction and commit with what the batch produced, or the transaction is aborted and the
 * consumer sent back to the last committed offsets, so the batch is read and done again.
 */
public final class TransactionalBatches {

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;

    public TransactionalBatches(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
        this.consumer = consumer;
        this.producer = producer;
    }

    /** Commits the open transaction together with the offsets after {@code records}. */
    public void commit(ConsumerRecords<byte[], byte[]> records) {
        producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
        producer.commitTransaction();
    }

    /** Aborts the open transaction and rewinds the consumer so that {@code records} are read again. */
    public void abortAndRewind(ConsumerRecords<byte[], byte[]> records) {
        producer.abortTransaction();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(records.partitions());
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata offset = committed.get(partition);
            consumer.seek(partition, offset == null ? records.records(partition).get(0).offset() : offset.offset());
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }
}
