package org.trapline.runtime.loop;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * One poll's records and the service's work on them (started when they were read, perhaps still under way
 * on other threads); committed in one transaction, or aborted and read again.
 */
public record Batch<W>(ConsumerRecords<byte[], byte[]> records, W work) {
}
