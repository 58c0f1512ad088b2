package org.trapline.corrections;

import java.util.Optional;
import java.util.regex.Pattern;

import org.trapline.schema.BoundingBox;
import org.trapline.schema.Correction;
import org.trapline.schema.CorrectionKind;

/**
 * What makes a {@link Correction} one that can be applied: the API refuses any other with a 400 that says
 * why, and the aggregator dead-letters one that reached the topic some other way, with the same reason.
 */
public final class CorrectionRules {

    /**
     * A scientific name's form: a binomial or trinomial ("Leopardus pardalis", "Panthera leo persica") or one
     * capitalised word for a higher taxon ("Felidae", "Aves"). Whether the taxon exists is the reviewer's to
     * know; a name of any other form (lower case, a common name, digits) is a typing slip.
     */
    static final Pattern SCIENTIFIC_NAME = Pattern.compile("[A-Z][a-z]+(-[a-z]+)?( [a-z]+(-[a-z]+)?){0,2}");

    private CorrectionRules() {
    }

    public static boolean scientificName(String name) {
        return name != null && SCIENTIFIC_NAME.matcher(name).matches();
    }

    /** Why the correction cannot be applied, or empty when it can. */
    public static Optional<String> problem(Correction c) {
        if (blank(c.getCorrectionId()) || blank(c.getFrameId()) || blank(c.getSiteId()) || blank(c.getCameraId())
                || blank(c.getReviewer())) {
            return Optional.of("a correction needs its id, frame, site, camera and reviewer");
        }
        boolean ofSighting = switch (c.getKind()) {
            case SPECIES, COUNT, BOX_REMOVED -> true;
            default -> false;
        };
        if (ofSighting && blank(c.getSightingId())) {
            return Optional.of(c.getKind() + " corrects a sighting: it needs its sightingId");
        }
        boolean named = switch (c.getKind()) {
            case SPECIES, BOX_ADDED -> true;
            default -> false;
        };
        if (named && c.getScientificName() == null) {
            return Optional.of(c.getKind() + " needs a scientificName");
        }
        if (c.getScientificName() != null && !scientificName(c.getScientificName())) {
            return Optional.of("'" + c.getScientificName() + "' is not a scientific name: a binomial such as 'Leopardus pardalis' "
                    + "or one capitalised word for a higher taxon such as 'Felidae'");
        }
        if (c.getKind() == CorrectionKind.COUNT && c.getCount() == null) {
            return Optional.of("COUNT needs a count");
        }
        if (c.getCount() != null && (c.getCount() < 1 || c.getCount() > 10_000)) {
            return Optional.of("a count is 1 to 10000 animals (a frame without any is EMPTY, a box without any is BOX_REMOVED), not "
                    + c.getCount());
        }
        if (c.getKind() == CorrectionKind.BOX_ADDED && c.getBbox() == null) {
            return Optional.of("BOX_ADDED needs its bbox");
        }
        if (c.getBbox() != null && !normalised(c.getBbox())) {
            return Optional.of("a bbox is [x, y, width, height] within the image, each in [0, 1], width and height above 0");
        }
        return Optional.empty();
    }

    private static boolean normalised(BoundingBox b) {
        return b.getX() >= 0 && b.getY() >= 0 && b.getWidth() > 0 && b.getHeight() > 0
                && b.getX() + b.getWidth() <= 1.0001f && b.getY() + b.getHeight() <= 1.0001f;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
