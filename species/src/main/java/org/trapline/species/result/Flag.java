package org.trapline.species.result;

/** Something a reviewer should know about an answer. */
public enum Flag {
    /** The classifier sees no animal where the detector found one. */
    CLASSIFIER_SAYS_BLANK,
    /** The classifier sees a person in a box the detector did not call a person. */
    CLASSIFIER_SAYS_HUMAN,
    /** The classifier sees a vehicle in a box the detector did not call a vehicle. */
    CLASSIFIER_SAYS_VEHICLE,
    /** The classifier names an animal in a box the detector called a person or a vehicle. */
    CLASSIFIER_SAYS_ANIMAL,
    /** The classifier's best species is not known at the site (the geofence) and was not named. */
    GEOFENCED,
    /** The event's vote replaced this frame's own answer. */
    EVENT_RELABELLED
}
