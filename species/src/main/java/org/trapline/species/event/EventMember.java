package org.trapline.species.event;

import org.trapline.species.result.SpeciesResult;

/** One classified box of an event: the frame it is on, and what the stage named it. */
public record EventMember(String frameId, SpeciesResult result) {
}
