package org.trapline.aggregator.counts;

import java.util.List;

import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.ReferenceCrop;

/**
 * What the individual stage keeps of an individual's latest update: who it is, its status in the gallery,
 * its life history and the sightings its reference crops come from (crops themselves stay with the
 * identifier, which serves them).
 *
 * @param status       the gallery's status (PROVISIONAL, CONFIRMED, MERGED, RETIRED)
 * @param life         null while the gallery records no life history
 * @param references   the sightings of its reference crops
 */
public record IndividualRecord(String individualId, String species, String name, String status, String mergedInto,
                               LifeHistoryView life, List<String> references, long time) {

    static IndividualRecord of(IndividualUpdate u) {
        return new IndividualRecord(u.getIndividualId(), u.getSpecies(), u.getName(), u.getStatus().name(), u.getMergedInto(),
                LifeHistoryView.of(u.getLifeHistory()),
                u.getReferences().stream().map(ReferenceCrop::getSightingId).filter(id -> id != null).toList(),
                u.getTime().toEpochMilli());
    }

    /** What the sites it was seen at need to know of it. */
    SiteProfile profile() {
        return new SiteProfile(species, name, life);
    }
}
