package org.trapline.runtime.loop;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's consume-process-produce loop, exactly once, written once: each poll is one batch, whose records
 * the service turns into what it produces, committed in one Kafka transaction with the consumer's next
 * offsets; or, when the transaction (or a store the batch needed) fails, aborted, with the consumer sent back
 * so that the batch is read and done again. The lifecycle is here, in final methods, and the service
 * supplies only what is its own through the hooks (as Debezium's {@code BaseSourceTask} calls its task's):
 * what to start on a poll's records ({@link #begin}), what to send ({@link #produce}), what to do once
 * committed or aborted, on a rebalance, and between batches.
 *
 * <p>What stops the loop: {@link #close} (the consumer is woken, and a batch already worked on is still
 * committed), another instance with the same transactional id ({@link ProducerFencedException}, or
 * {@link InvalidProducerEpochException}: this one is a zombie and must not write again), and any error that is
 * not a failed transaction (a bug, a model that failed): the uncommitted batch is then redone by whoever takes
 * the partitions. On a clean stop the consumer leaves its group, so that its partitions move at once though
 * membership is static ({@code group.instance.id}); after a crash it stays, and the same instance restarted
 * takes its partitions back without a rebalance.
 *
 * <p>With {@link ReadAhead#ONE_POLL} the next poll's work starts while the batch before it is committed
 * (the detector's network never waits for a commit); nothing of it is sent before that commit, so each
 * transaction still holds exactly one poll's results and offsets.
 *
 * @param <W> the service's work on one poll
 */
public abstract class TransactionalLoop<W> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Whether the next poll's work starts while the batch before it is still being committed. */
    public enum ReadAhead {
        /** Each poll is done and committed before the next is read. */
        NONE,
        /** One poll is worked on ahead while the one before it is decided and committed. */
        ONE_POLL
    }

    private final String service;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final List<String> topics;
    private final ReadAhead readAhead;
    private final Lock stateLock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The loop's own thread, once started. */
    private volatile Thread thread;
    /** With {@link ReadAhead#ONE_POLL}, the batch read and under way but not yet committed; only the loop thread touches it. */
    private Batch<W> ahead;

    /**
     * @param stateLock held around each batch's transaction, from begin to commit or abort, rewind and
     *                  {@link #aborted}: a service whose state others read (an API) takes the same lock to read
     *                  it, so that nobody sees a batch's changes before they are committed or after they are undone
     */
    protected TransactionalLoop(LoopSettings settings, LoopClients clients, Collection<String> topics,
                                ReadAhead readAhead, Lock stateLock) {
        this.service = settings.service();
        this.consumer = clients.consumer();
        this.producer = clients.producer();
        this.topics = List.copyOf(topics);
        this.readAhead = readAhead;
        this.stateLock = stateLock;
    }

    /** A loop whose state nobody else reads while it runs. */
    protected TransactionalLoop(LoopSettings settings, LoopClients clients, Collection<String> topics, ReadAhead readAhead) {
        this(settings, clients, topics, readAhead, new ReentrantLock());
    }

    // ---- the lifecycle ----

    /**
     * Fences any earlier producer with this transactional id (aborting its open transaction), lets the service
     * {@link #restore} its state, subscribes and starts polling on the loop's own thread.
     */
    public final void start() {
        producer.initTransactions();
        restore();
        consumer.subscribe(topics, new Rebalance());
        thread = new Thread(this::run, service + "-loop");
        thread.start();
    }

    /** The loop itself, on the thread {@link #start} starts; returns once it stops, with the consumer closed. */
    public final void run() {
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    // with a batch under way, only take what the consumer has already fetched
                    records = consumer.poll(ahead == null ? POLL_TIMEOUT : Duration.ZERO);
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                    break;
                }
                Batch<W> next = records.isEmpty() ? null : new Batch<>(records, begin(records));
                if (readAhead == ReadAhead.ONE_POLL) {
                    Batch<W> current = ahead;
                    ahead = next;
                    if (current != null && !transact(current, next)) {
                        ahead = null;  // rewound with the aborted batch: it is read again
                    }
                } else if (next != null) {
                    transact(next, null);
                }
                if (ahead == null) {
                    idle();
                }
            }
            if (ahead != null) {
                Batch<W> last = ahead;
                ahead = null;
                transact(last, null);  // stopping: what was read and worked on is still committed
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("{} loop woken unexpectedly: stopping", service, e);
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            log.error("another {} with the same instance id took over: stopping", service, e);
        } catch (RuntimeException e) {
            log.error("{} loop failed: stopping (the uncommitted batch is redone on restart)", service, e);
        } finally {
            // a static member leaves on a clean stop, so that another instance id may take over at once;
            // after a crash it stays, and the same instance restarted takes its partitions back
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLIENT_CLOSE_TIMEOUT));
        }
    }

    /** Whether the loop is still running (what the service's health says). */
    public final boolean alive() {
        Thread running = thread;
        return running != null && running.isAlive();
    }

    /** Stops the loop (a batch already worked on is still committed), then closes the producer. */
    @Override
    public final void close() {
        running.set(false);
        consumer.wakeup();
        Thread loop = thread;
        if (loop == null) {
            consumer.close(CLIENT_CLOSE_TIMEOUT);  // never started: no loop to close it
        } else {
            try {
                loop.join(STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(CLIENT_CLOSE_TIMEOUT);
    }

    // ---- what the service supplies ----

    /**
     * Reads back what the service keeps between batches, before the first poll. The producer has fenced its
     * predecessor by then, aborting any transaction that one left open, so reading committed records does not
     * wait for it.
     */
    protected void restore() {
    }

    /**
     * Starts the work on a poll's records. Nothing may be sent here: with {@link ReadAhead#ONE_POLL} the work
     * may run on (on the service's own threads) while the batch before it is committed.
     */
    protected abstract W begin(ConsumerRecords<byte[], byte[]> records);

    /**
     * Sends what the batch produces, in its transaction. The producer is the loop's, for {@code send} only: the
     * loop begins, commits and aborts. A failed send or store ({@link IOException}) aborts the batch, which is
     * then read again; any other exception stops the loop.
     */
    protected abstract void produce(W work, Producer<byte[], byte[]> producer) throws IOException, InterruptedException;

    /** The metadata committed with the batch's offsets: what whoever reads the partition next must find. */
    protected String offsetMetadata(W work) throws IOException {
        return "";
    }

    /** After the batch's transaction is committed. */
    protected void committed(W work) {
    }

    /**
     * After the batch's transaction was aborted and the consumer rewound: whatever the batch changed in memory is
     * not committed and must be undone; the batch is read again.
     */
    protected void aborted(W work, Exception cause) {
    }

    /** Stops work that will not be committed: read again after a rewind, or of partitions no longer this instance's. */
    protected void discard(W work) {
    }

    /** Partitions this instance was given, before any of their records is read. */
    protected void assigned(Collection<TopicPartition> partitions) {
    }

    /** After a poll, when no batch is under way: time for the service's own retries. */
    protected void idle() {
    }

    /** The group's committed offsets of these partitions (with their metadata), for {@link #assigned}. */
    protected final Map<TopicPartition, OffsetAndMetadata> committedOffsets(Collection<TopicPartition> partitions) {
        return consumer.committed(Set.copyOf(partitions));
    }

    // ---- the transaction ----

    /**
     * Produces and commits one batch, in one transaction with its offsets. False when the transaction was
     * aborted and the consumer rewound (past {@code readAhead} too, whose work is discarded).
     */
    private boolean transact(Batch<W> batch, Batch<W> readAhead) {
        stateLock.lock();
        try {
            producer.beginTransaction();
            try {
                produce(batch.work(), producer);
                producer.sendOffsetsToTransaction(nextOffsets(batch.records(), offsetMetadata(batch.work())),
                        consumer.groupMetadata());
                producer.commitTransaction();
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                throw e;
            } catch (KafkaException | IOException | InterruptedException e) {
                log.warn("{}: batch of {} records not committed, it will be read again: {}", service,
                        batch.records().count(), e.toString());
                producer.abortTransaction();
                rewind(batch, readAhead);
                if (readAhead != null) {
                    discard(readAhead.work());
                }
                aborted(batch.work(), e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            committed(batch.work());
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records, String metadata) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1, metadata));
        }
        return offsets;
    }

    /**
     * After an abort, every partition the uncommitted batches read goes back to its committed offset, so that all
     * they read is read again: the aborted batch's partitions and, when reading ahead, those of the batch read
     * after it, whose records would otherwise be skipped. A partition the group has no offset for yet goes back
     * to the first record read of it, which is where reading it began whatever {@code auto.offset.reset} says.
     * Partitions neither batch read are where their committed offset is already.
     */
    private void rewind(Batch<W> aborted, Batch<W> readAhead) {
        Map<TopicPartition, Long> firstRead = new HashMap<>();
        for (Batch<W> batch : readAhead == null ? List.of(aborted) : List.of(readAhead, aborted)) {
            for (TopicPartition partition : batch.records().partitions()) {
                firstRead.put(partition, batch.records().records(partition).get(0).offset());  // the earlier batch last: it wins
            }
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(firstRead.keySet());
        firstRead.forEach((partition, first) -> {
            OffsetAndMetadata offset = committed.get(partition);
            consumer.seek(partition, offset == null ? first : offset.offset());
        });
    }

    /**
     * Partitions taken away: the batch under way is committed first, while they are still this instance's.
     * Partitions lost (this instance was thought dead): its work is dropped, its offsets could not be committed.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (ahead != null && !partitions.isEmpty()) {
                Batch<W> current = ahead;
                ahead = null;
                transact(current, null);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (ahead != null) {
                discard(ahead.work());
                ahead = null;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assigned(partitions);
            }
        }
    }
}
