package org.trapline.detector.pipeline;

import java.util.List;

/** One poll under way in the pipeline: a step for each of its records, in the poll's order. */
public record PollWork(List<Step> steps) {

    public PollWork {
        steps = List.copyOf(steps);
    }
}
