package org.trapline.detector.model;

/** A decoder's raw candidate: class, score, and centre/size in the network's input pixels. */
public record Candidate(int classIndex, float score, float cx, float cy, float w, float h) {
}
