package org.trapline.identifier.decide;

/**
 * Where one matcher's scores become decisions: at or above {@code match} the top candidate is taken as
 * the animal; from {@code review} up to it, a person decides; below, the animal is new to the gallery.
 * Scores differ in kind between matchers (cosine similarity, inlier counts), so each has its own pair.
 */
public record Thresholds(float match, float review) {

    public Thresholds {
        if (!(review <= match)) {
            throw new IllegalArgumentException("the review threshold (" + review + ") must not exceed the match threshold ("
                    + match + ")");
        }
    }
}
