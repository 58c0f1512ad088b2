package org.trapline.devtools.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.trapline.config.KafkaClientSettings;

/**
 * Whether a consumer group has processed everything committed on its input topic. Comparing committed
 * offsets with end offsets is not enough where the input is written in transactions: the commit marker
 * takes an offset no consumer ever commits past. So each partition behind its end is read from the
 * group's committed offset, read_committed, and the group has caught up when nothing but markers and
 * aborted records lie there.
 */
public final class CaughtUp {

    private final KafkaClientSettings clients;

    public CaughtUp(KafkaClientSettings clients) {
        this.clients = clients;
    }

    /**
     * Records committed on the group's input topics that {@code group} has not processed yet (0 when caught
     * up). Besides {@code inputTopics} (named, because a group that never committed has no offsets to tell
     * them), every topic the group has committed offsets on counts: a Kafka Streams application's internal
     * repartition topics are inputs too, and a count is only final once they are drained.
     */
    public long behind(String group, Collection<String> inputTopics) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(clients.admin())) {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + ": " + e.getCause().getMessage(), e);
        }
        Set<String> topics = new TreeSet<>(inputTopics);
        committed.keySet().forEach(p -> topics.add(p.topic()));
        Map<String, Object> props = clients.consumer("unused", "trapline-progress");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long behind = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (String topic : topics) {
                behind += behind(consumer, committed, topic);
            }
        }
        return behind;
    }

    private static long behind(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> committed,
                               String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);  // assigned before asking for offsets: the consumer tracks them as its own
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
        List<TopicPartition> lagging = partitions.stream()
                .filter(p -> from(committed, beginning, p) < end.get(p)).toList();
        if (lagging.isEmpty()) {
            return 0;
        }
        partitions.forEach(p -> consumer.seek(p, lagging.contains(p) ? from(committed, beginning, p) : end.get(p)));
        long behind = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lagging.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            behind += consumer.poll(Duration.ofMillis(200)).count();
        }
        if (lagging.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            behind = Math.max(behind, 1);  // could not look all the way: not known to be caught up
        }
        return behind;
    }

    private static long from(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> beginning,
                             TopicPartition partition) {
        OffsetAndMetadata at = committed.get(partition);
        return at == null ? beginning.get(partition) : at.offset();
    }
}
