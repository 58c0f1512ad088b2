package org.trapline.detector.model;

import java.util.ArrayList;
import java.util.List;

/**
 * YOLOv5-style output, as MegaDetector v5 exports write it: {@code [N, anchors, 5 + classes]}, one row
 * per anchor: centre x, centre y, width, height (input pixels), objectness, then each class's score,
 * all already decoded. A detection's confidence is objectness times its best class score.
 */
final class Yolov5Decoder implements ModelFamily.Decoder {

    private final int classes;
    private final int rowLength;

    Yolov5Decoder(int classes) {
        this.classes = classes;
        this.rowLength = 5 + classes;
    }

    @Override
    public List<Candidate> decode(float[] out, int offset, int length, float minScore) {
        if (length % rowLength != 0) {
            throw new IllegalArgumentException("YOLOv5 output of " + length + " values per image is not a whole number of "
                    + rowLength + "-value rows (" + classes + " classes)");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int row = offset; row < offset + length; row += rowLength) {
            float objectness = out[row + 4];
            if (objectness < minScore) {
                continue;
            }
            int best = 0;
            float bestScore = -1;
            for (int c = 0; c < classes; c++) {
                if (out[row + 5 + c] > bestScore) {
                    bestScore = out[row + 5 + c];
                    best = c;
                }
            }
            float score = objectness * bestScore;
            if (score >= minScore) {
                candidates.add(new Candidate(best, score, out[row], out[row + 1], out[row + 2], out[row + 3]));
            }
        }
        return candidates;
    }
}
