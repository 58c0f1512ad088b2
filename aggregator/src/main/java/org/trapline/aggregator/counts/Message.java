package org.trapline.aggregator.counts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the aggregator's stages tell each other through their internal topics. Each stage reads one topic,
 * keyed by what it works on: the frame stage by frame, the gallery stage and the individual stage by
 * individual, the resolving stage by sighting, the counting stage by site.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Message.IndividualState.class, name = "individual"),
        @JsonSubTypes.Type(value = Message.Naming.class, name = "naming"),
        @JsonSubTypes.Type(value = Message.Corrected.class, name = "corrected"),
        @JsonSubTypes.Type(value = Message.Detected.class, name = "detected"),
        @JsonSubTypes.Type(value = Message.Arrival.class, name = "arrival"),
        @JsonSubTypes.Type(value = Message.Withdrawn.class, name = "withdrawn"),
        @JsonSubTypes.Type(value = Message.Claim.class, name = "claim"),
        @JsonSubTypes.Type(value = Message.Fallback.class, name = "fallback"),
        @JsonSubTypes.Type(value = Message.Counted.class, name = "counted"),
        @JsonSubTypes.Type(value = Message.Reassigned.class, name = "reassigned"),
        @JsonSubTypes.Type(value = Message.Uncounted.class, name = "uncounted"),
        @JsonSubTypes.Type(value = Message.Individual.class, name = "record"),
        @JsonSubTypes.Type(value = Message.Membership.class, name = "membership"),
        @JsonSubTypes.Type(value = Message.Profile.class, name = "profile")})
public sealed interface Message {

    /** To the gallery stage: an individual's latest state (of {@code IndividualUpdate}, the part that counts). */
    record IndividualState(String individualId, String status, String mergedInto, List<String> sightingIds, long time)
            implements Message {
    }

    /**
     * To the gallery stage: sighting {@code sightingId} names this individual as its own (the identifier's
     * decision {@code ownIndividualId}), directly or, after merges, through the individuals in {@code via}.
     */
    record Naming(String sightingId, String ownIndividualId, List<String> via) implements Message {
    }

    /** To the frame stage: what the detector said of the frame. */
    record Detected(FrameInfo frame) implements Message {
    }

    /** To the frame stage: what a reviewer decided about the frame or one of its sightings. */
    record Corrected(CorrectionFacts correction) implements Message {
    }

    /**
     * To the frame stage: a sighting, as read; to the resolving stage: a sighting as the counts should have
     * it now (new, or changed by a correction).
     */
    record Arrival(SightingFacts facts) implements Message {
    }

    /** To the resolving stage: the sighting is no longer there (a reviewer removed it, or emptied its frame). */
    record Withdrawn(String sightingId) implements Message {
    }

    /** To the resolving stage: individual {@code individualId} now lists (or no longer lists) the sighting. */
    record Claim(String individualId, boolean listed, long time) implements Message {
    }

    /**
     * To the resolving stage: the sighting's own individual {@code ownIndividualId} resolves, through
     * merges, to {@code individualId} (null: retired, the sighting is unidentified).
     */
    record Fallback(String ownIndividualId, String individualId) implements Message {
    }

    /** To the counting stage: a sighting to count once, and the individual it belongs to now (or null). */
    record Counted(SightingFacts facts, String individualId) implements Message {
    }

    /** To the counting stage: a counted sighting belongs to another individual now (or to none). */
    record Reassigned(String sightingId, long time, String individualId) implements Message {
    }

    /** To the counting stage: a counted sighting (as counted) is counted no more; a {@link Counted} may follow. */
    record Uncounted(SightingFacts facts) implements Message {
    }

    /** To the individual stage: an individual's latest update (null: a tombstone, the individual is gone). */
    record Individual(String individualId, IndividualRecord record) implements Message {
    }

    /**
     * To the individual stage: a counted sighting belongs to this individual now ({@code member}), or no
     * longer does.
     */
    record Membership(String sightingId, String siteId, String cameraId, long time, boolean member) implements Message {
    }

    /**
     * To the counting stage: what a site needs of an individual seen there, whenever it changes; null when
     * the individual has no sighting at the site any more.
     */
    record Profile(String individualId, SiteProfile profile) implements Message {
    }
}
