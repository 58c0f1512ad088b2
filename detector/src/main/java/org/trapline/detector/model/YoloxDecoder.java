package org.trapline.detector.model;

import java.util.ArrayList;
import java.util.List;

/**
 * YOLOX's raw head output. Its shape reads {@code [1, 8400, 85]} but the values run per scale level
 * (strides 8, 16, 32: grids of 80×80, 40×40, 20×20 for a 640 input), and within a level channel by
 * channel over the grid. Box centres are offsets from their grid cell, sizes logarithms, both in units of
 * the stride; objectness and class scores are logits.
 */
final class YoloxDecoder implements ModelFamily.Decoder {

    private static final int[] STRIDES = {8, 16, 32};

    private final int inputSize;
    private final int classes;
    private final int channels;

    YoloxDecoder(int inputSize, int classes) {
        this.inputSize = inputSize;
        this.classes = classes;
        this.channels = 5 + classes;
    }

    @Override
    public List<Candidate> decode(float[] out, int offset, int length, float minScore) {
        List<Candidate> candidates = new ArrayList<>();
        int levelStart = offset;
        for (int stride : STRIDES) {
            int grid = inputSize / stride;
            int cells = grid * grid;
            for (int cell = 0; cell < cells; cell++) {
                float objectness = sigmoid(out[levelStart + 4 * cells + cell]);
                if (objectness < minScore) {
                    continue;  // the score is objectness times class score: it cannot reach the threshold
                }
                int best = 0;
                float bestScore = -Float.MAX_VALUE;
                for (int c = 0; c < classes; c++) {
                    float logit = out[levelStart + (5 + c) * cells + cell];
                    if (logit > bestScore) {
                        bestScore = logit;
                        best = c;
                    }
                }
                float score = objectness * sigmoid(bestScore);
                if (score < minScore) {
                    continue;
                }
                int gx = cell % grid;
                int gy = cell / grid;
                float cx = (out[levelStart + cell] + gx) * stride;
                float cy = (out[levelStart + cells + cell] + gy) * stride;
                float w = (float) Math.exp(out[levelStart + 2 * cells + cell]) * stride;
                float h = (float) Math.exp(out[levelStart + 3 * cells + cell]) * stride;
                candidates.add(new Candidate(best, score, cx, cy, w, h));
            }
            levelStart += cells * channels;
        }
        if (levelStart - offset != length) {
            throw new IllegalArgumentException("YOLOX output of " + length + " values per image does not match a "
                    + inputSize + " input with " + classes + " classes (" + (levelStart - offset) + " expected)");
        }
        return candidates;
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
