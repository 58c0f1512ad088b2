package org.trapline.detector.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Greedy non-maximum suppression within groups of boxes (MegaDetector's categories). */
final class Nms {

    private Nms() {
    }

    static List<Box> apply(List<Box> boxes, float iouThreshold, Function<Box, ?> group) {
        List<Box> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble(Box::confidence).reversed());
        List<Box> kept = new ArrayList<>();
        for (Box box : sorted) {
            boolean overlaps = false;
            for (Box k : kept) {
                if (group.apply(k).equals(group.apply(box)) && k.iou(box) > iouThreshold) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(box);
            }
        }
        return kept;
    }
}
