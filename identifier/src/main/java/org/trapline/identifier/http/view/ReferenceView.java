package org.trapline.identifier.http.view;

import org.trapline.schema.ReferenceCrop;

/** One of an individual's reference crops, and where to see it (an animal's box only). */
public record ReferenceView(String sightingId, String frameId, String crop) {

    public static ReferenceView of(ReferenceCrop reference) {
        return new ReferenceView(String.valueOf(reference.getSightingId()), reference.getFrameId(),
                reference.getSightingId() == null ? "" : SightingView.cropPath(reference.getSightingId()));
    }
}
