package org.trapline.detector.outcome;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.serialization.Serializer;
import org.trapline.deadletter.DeadLetterRouter;
import org.trapline.detector.FrameDetector;
import org.trapline.detector.model.Box;
import org.trapline.detector.pipeline.PollWork;
import org.trapline.detector.pipeline.Step;
import org.trapline.detector.pipeline.Step.FrameStep;
import org.trapline.detector.pipeline.Step.Loaded;
import org.trapline.detector.redact.KeptResults;
import org.trapline.detector.redact.Redactor;
import org.trapline.detector.species.BoxSpecies;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;

/**
 * The transaction's decision for each frame of a poll, once its work is done: its result published (a redacted
 * frame's kept beside the blobs first), or its record sent to the dead letters with the reason (not a frame, its
 * image missing, undecodable, or with a person on it that cannot be redacted). A frame whose image is gone but whose
 * result was kept (a retry after its redaction committed) is published again as it was. A frame the species stage
 * could not fully name is published with its detections, and its record dead-lettered besides, for the
 * classification to be redone.
 */
public final class FrameOutcomes {

    private final FrameDetector decider;
    private final Redactor redactor;
    private final KeptResults kept;
    private final Serializer<FrameDetections> detections;
    private final DeadLetterRouter deadLetters;

    public FrameOutcomes(FrameDetector decider, Redactor redactor, KeptResults kept, Serializer<FrameDetections> detections,
                         DeadLetterRouter deadLetters) {
        this.decider = decider;
        this.redactor = redactor;
        this.kept = kept;
        this.detections = detections;
        this.deadLetters = deadLetters;
    }

    /**
     * What a poll comes to, frame by frame, waiting for each frame's work. An {@link IOException} (the blob store
     * failed) means the poll cannot be decided now: it is aborted and read again.
     */
    public PollOutcome decide(PollWork work) throws IOException, InterruptedException {
        PollOutcome outcome = new PollOutcome(detections, deadLetters);
        for (Step step : work.steps()) {
            switch (step) {
                case Step.NotAFrame bad -> outcome.deadLetter(bad.record(), bad.error());
                case FrameStep frame -> decide(frame, outcome);
            }
        }
        return outcome;
    }

    /** One frame's result. */
    private void decide(FrameStep step, PollOutcome outcome) throws IOException, InterruptedException {
        Frame frame = step.frame();
        Loaded loaded = step.awaitLoaded();
        if (loaded.refusal() != null) {
            outcome.deadLetter(step.record(), loaded.refusal());
            return;
        }
        if (loaded.bytes().isEmpty()) {
            Optional<FrameDetections> earlier = kept.find(frame);
            if (earlier.isPresent()) {
                outcome.publish(earlier.get());
            } else {
                outcome.deadLetter(step.record(), "image " + frame.getBlob().getStore() + ":" + frame.getBlob().getUri()
                        + " of frame " + frame.getFrameId() + " is not in the blob store");
            }
            return;
        }
        byte[] bytes = loaded.bytes().get();
        if (!loaded.decoded()) {
            outcome.deadLetter(step.record(), "image of frame " + frame.getFrameId() + " cannot be decoded ("
                    + frame.getMediaType() + ", " + bytes.length + " bytes)");
            return;
        }
        List<Box> boxes = step.awaitDetected().boxes();
        BoxSpecies named = step.awaitSpecies();
        FrameDetector.Decision decision;
        try {
            decision = decider.decide(frame, bytes, boxes, named);
        } catch (Redactor.UnreadableImageException e) {
            outcome.deadLetter(step.record(), "frame " + frame.getFrameId() + " has a person on it but " + e.getMessage());
            return;
        }
        FrameDetections result = decision.result();
        outcome.observed(decision.repeats());
        if (result.getRedacted()) {
            // kept before the commit: a retry finds the decision even once the original is gone
            kept.keep(frame, result);
            outcome.redacted(frame.getFrameId(), redactor.removal(frame.getBlob()));
        }
        outcome.publish(result);
        if (!decision.speciesFailures().isEmpty()) {
            StringBuilder reason = new StringBuilder("species stage: frame " + frame.getFrameId()
                    + " published without the classification of");
            decision.speciesFailures().forEach((index, why) -> reason.append(" detection ").append(index).append(" (")
                    .append(why).append(");"));
            outcome.speciesDeadLetter(step.record(), reason.substring(0, reason.length() - 1));
        }
    }
}
