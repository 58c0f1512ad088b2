package org.trapline.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's lifecycle against Kafka's mock clients: no broker, the same calls. */
class TransactionalLoopTest {

    static final String IN = "in";
    static final TopicPartition P0 = new TopicPartition(IN, 0);
    static final TopicPartition P1 = new TopicPartition(IN, 1);

    final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    /** What the loop did, in order, as the hooks saw it. */
    final List<String> events = new CopyOnWriteArrayList<>();
    Echo loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Sends every record it reads on to {@code out}, and notes each hook. */
    final class Echo extends TransactionalLoop<ConsumerRecords<byte[], byte[]>> {

        Echo(ReadAhead readAhead) {
            super(new LoopSettings("echo", "test", 10), new LoopClients(consumer, producer), List.of(IN), readAhead);
        }

        @Override
        protected ConsumerRecords<byte[], byte[]> begin(ConsumerRecords<byte[], byte[]> records) {
            events.add("begin " + values(records));
            return records;
        }

        @Override
        protected void produce(ConsumerRecords<byte[], byte[]> work, Producer<byte[], byte[]> out) {
            work.forEach(r -> out.send(new ProducerRecord<>("out", r.key(), r.value())));
        }

        @Override
        protected String offsetMetadata(ConsumerRecords<byte[], byte[]> work) {
            return "batch of " + work.count();
        }

        @Override
        protected void committed(ConsumerRecords<byte[], byte[]> work) {
            events.add("committed " + values(work));
        }

        @Override
        protected void aborted(ConsumerRecords<byte[], byte[]> work, Exception cause) {
            events.add("aborted " + values(work) + " at " + consumer.position(P0) + "/" + consumer.position(P1));
            producer.commitTransactionException = null;  // the broker is back
        }

        @Override
        protected void discard(ConsumerRecords<byte[], byte[]> work) {
            events.add("discarded " + values(work));
        }
    }

    static String values(ConsumerRecords<byte[], byte[]> records) {
        StringBuilder values = new StringBuilder();
        records.forEach(r -> values.append(new String(r.value(), StandardCharsets.UTF_8)));
        return values.toString();
    }

    void assign() {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.rebalance(List.of(P0, P1));
    }

    void add(TopicPartition partition, long offset, String value) {
        consumer.addRecord(new ConsumerRecord<>(IN, partition.partition(), offset, new byte[0], value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBatchIsCommittedWithItsNextOffsetsInOneTransaction() throws Exception {
        loop = new Echo(TransactionalLoop.ReadAhead.NONE);
        consumer.schedulePollTask(() -> {
            assign();
            add(P0, 0, "a");
            add(P0, 1, "b");
            add(P1, 0, "c");
        });
        loop.start();
        await(() -> events.size() >= 2, "the batch committed");

        assertEquals("committed", events.get(1).split(" ")[0]);
        assertEquals(List.of("a", "b", "c"), events.get(1).split(" ")[1].chars().sorted().mapToObj(c -> String.valueOf((char) c)).toList());
        assertEquals(1, producer.commitCount());
        assertEquals(3, producer.history().size(), "every record sent on");
        Map<TopicPartition, OffsetAndMetadata> offsets = producer.consumerGroupOffsetsHistory().get(0).values().iterator().next();
        assertEquals(new OffsetAndMetadata(2, "batch of 3"), offsets.get(P0));
        assertEquals(new OffsetAndMetadata(1, "batch of 3"), offsets.get(P1));
    }

    @Test
    void aFailedCommitIsAbortedAndTheBatchReadAgainFromTheCommittedOffsets() throws Exception {
        loop = new Echo(TransactionalLoop.ReadAhead.NONE);
        producer.commitTransactionException = new KafkaException("the broker is away");
        consumer.schedulePollTask(() -> {
            assign();
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5)));  // an earlier owner got this far
            consumer.seek(P0, 5);
            add(P0, 5, "a");
            add(P0, 6, "b");
        });
        consumer.schedulePollTask(() -> {
            add(P0, 5, "a");  // what the rewind reads again (the mock forgets what it returned)
            add(P0, 6, "b");
        });
        loop.start();
        await(() -> events.contains("committed ab"), "read again and committed");

        assertEquals(List.of("begin ab", "aborted ab at 5/0", "begin ab", "committed ab"), events);
        assertTrue(producer.transactionCommitted());
        assertEquals(2, producer.history().size(), "only the committed transaction's records are in the history");
    }

    @Test
    void readingAheadTheAbortedBatchAndTheOneAfterItAreBothReadAgain() throws Exception {
        loop = new Echo(TransactionalLoop.ReadAhead.ONE_POLL);
        producer.commitTransactionException = new KafkaException("the broker is away");
        consumer.schedulePollTask(() -> {
            assign();
            add(P0, 0, "a");
        });
        // the next poll reads another partition; the batch before it fails to commit
        consumer.schedulePollTask(() -> add(P1, 0, "b"));
        loop.start();
        await(() -> events.stream().anyMatch(e -> e.startsWith("aborted")), "the first batch aborted");

        assertEquals(List.of("begin a", "begin b", "discarded b", "aborted a at 0/0"), events.subList(0, 4),
                "the read-ahead partition went back to where its reading began, not left past b");
    }

    @Test
    void aFencedProducerStopsTheLoopAndItLeavesTheGroup() throws Exception {
        loop = new Echo(TransactionalLoop.ReadAhead.NONE);
        consumer.schedulePollTask(() -> {
            assign();
            producer.fenceProducer();  // another instance with the same transactional id started
            add(P0, 0, "a");
        });
        loop.start();
        await(() -> !loop.alive(), "the loop stopped");

        assertTrue(consumer.closed(), "the consumer is closed");
        assertFalse(events.contains("committed a"), "nothing committed by a zombie");
    }

    @Test
    void closingWakesThePollingLoopWhichClosesItsConsumer() throws Exception {
        loop = new Echo(TransactionalLoop.ReadAhead.ONE_POLL);
        consumer.schedulePollTask(() -> {
            assign();
            add(P0, 0, "a");
        });
        loop.start();
        await(() -> events.contains("committed a"), "the batch committed on the poll after it");
        loop.close();

        assertFalse(loop.alive());
        assertTrue(consumer.closed());
        assertTrue(producer.closed());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
