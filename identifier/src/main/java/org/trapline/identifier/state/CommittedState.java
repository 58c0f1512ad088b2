package org.trapline.identifier.state;

import java.util.Collection;

import org.trapline.schema.CameraSequence;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.Sighting;

/** What the identifier has committed of its state: the latest record of each key of its compacted topics. */
public interface CommittedState {

    /** The gallery: each individual's latest state ({@code individuals}). */
    Collection<IndividualUpdate> individuals();

    /** The sightings waiting for a reviewer ({@code review-queue}). */
    Collection<Sighting> reviewQueue();

    /** Each camera's open event ({@code camera-sequences}). */
    Collection<CameraSequence> sequences();
}
