package org.trapline.identifier.state;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.identifier.sequence.Sequencer;

/**
 * What the identifier holds in memory: the gallery, the review desk (the queue and the decisions on it) and each
 * camera's open event, and the one lock they are changed under (the loop changes them for a batch, the review
 * API for a decision, and both read them). Always what was committed: {@link #rebuild} reads it back from the
 * compacted topics on start and after an aborted batch, whose changes memory holds but the topics do not.
 */
public final class IdentifierState {

    private static final Logger log = LoggerFactory.getLogger(IdentifierState.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Function<String, List<Matcher>> matchers;
    private final Gallery.CropLoader crops;
    private final Sequencer sequencer;
    private final int maxReferences;
    private final Clock clock;
    private Gallery gallery;
    private ReviewDesk desk;

    /**
     * Empty until rebuilt.
     *
     * @param matchers      makes the (empty) matchers one species is searched with
     * @param crops         reads a reference's crop when a matcher has to see it again
     * @param maxReferences reference crops kept per individual
     */
    public IdentifierState(Function<String, List<Matcher>> matchers, Gallery.CropLoader crops, Sequencer sequencer,
                           int maxReferences, Clock clock) {
        this.matchers = matchers;
        this.crops = crops;
        this.sequencer = sequencer;
        this.maxReferences = maxReferences;
        this.clock = clock;
        this.gallery = new Gallery(matchers, crops);
        this.desk = new ReviewDesk(gallery, maxReferences, clock);
    }

    /** The gallery, the review queue and the open sequences, anew from what is committed. */
    public void rebuild(CommittedState committed) {
        lock.lock();
        try {
            Gallery fresh = new Gallery(matchers, crops);
            committed.individuals().forEach(fresh::apply);
            ReviewDesk freshDesk = new ReviewDesk(fresh, maxReferences, clock);
            committed.reviewQueue().forEach(freshDesk::enqueue);
            sequencer.clear();
            committed.sequences().forEach(sequencer::restore);
            fresh.enrolmentFailures().forEach(f -> log.warn("gallery reference not enrolled: {}", f));
            this.gallery = fresh;
            this.desk = freshDesk;
        } finally {
            lock.unlock();
        }
    }

    /** The lock everything here is read and changed under. */
    public Lock lock() {
        return lock;
    }

    /** Reads the state under the lock. */
    public <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** The gallery; only under the lock. */
    public Gallery gallery() {
        return gallery;
    }

    /** The review desk; only under the lock. */
    public ReviewDesk desk() {
        return desk;
    }

    /** The cameras' open events; only under the lock. */
    public Sequencer sequencer() {
        return sequencer;
    }

    /** The gallery's size and the review queue's length, as gauges. */
    public void register(MeterRegistry metrics) {
        Gauge.builder("trapline.identifier.gallery.individuals", this, s -> s.locked(() -> s.gallery.live().size()))
                .description("live individuals in the gallery").register(metrics);
        Gauge.builder("trapline.identifier.review.queue", this, s -> s.locked(() -> s.desk.queue().size()))
                .description("sightings waiting for a reviewer").register(metrics);
    }
}
