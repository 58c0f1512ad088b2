package org.trapline.identifier.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.trapline.config.KafkaClientSettings;
import org.trapline.identifier.IdentifierRecords;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.identifier.review.ReviewException;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;
import org.trapline.topics.Topics;

/**
 * People's decisions through the review API, each committed in a transaction of its own (a producer of their own,
 * beside the loop's), under the state's lock: checked against the gallery, committed, and only then applied,
 * so that nothing is applied when the commit fails.
 */
public final class ReviewTransactions implements AutoCloseable {

    /** A reviewer's decision on the current state. */
    @FunctionalInterface
    public interface Decision {
        ReviewDesk.Change on(ReviewDesk desk) throws ReviewException;
    }

    private final IdentifierState state;
    private final Producer<byte[], byte[]> producer;
    private final IdentifierRecords records;
    private final Counter reviews;

    public ReviewTransactions(IdentifierState state, Producer<byte[], byte[]> producer, IdentifierRecords records,
                              MeterRegistry metrics) {
        this.state = state;
        this.producer = producer;
        this.records = records;
        this.reviews = Counter.builder("trapline.identifier.reviews").register(metrics);
    }

    /** The review producer of the instance whose loop's clients are called {@code clientName}. */
    public static Producer<byte[], byte[]> producer(KafkaClientSettings clients, String clientName) {
        String name = clientName + "-review";
        return new KafkaProducer<>(clients.producer(name, name), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Fences an earlier instance's review producer, aborting what it left open; before the state is read. */
    public void start() {
        producer.initTransactions();
    }

    public ReviewDesk.Change review(Decision decision) throws ReviewException {
        state.lock().lock();
        try {
            ReviewDesk.Change change = decision.on(state.desk());
            producer.beginTransaction();
            try {
                for (IndividualUpdate update : change.individuals()) {
                    producer.send(records.individual(update));
                }
                for (Sighting sighting : change.sightings()) {
                    producer.send(records.sighting(sighting));
                }
                for (String resolved : change.resolvedReviews()) {
                    producer.send(new ProducerRecord<>(Topics.REVIEW_QUEUE.name(), resolved.getBytes(StandardCharsets.UTF_8), null));
                }
                producer.commitTransaction();
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                throw e;
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw new ReviewException(503, "the decision could not be recorded, nothing changed: " + e.getMessage());
            }
            state.desk().apply(change);
            reviews.increment();
            return change;
        } finally {
            state.lock().unlock();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
