package org.trapline.aggregator.counts;

/**
 * What a site's counting stage knows of an individual seen there, for the site's demography: its species
 * and name as the gallery has them, and its life history (null: none recorded, or the gallery has not
 * been heard from yet).
 */
public record SiteProfile(String species, String name, LifeHistoryView life) {

    /** An individual the gallery has said nothing about yet. */
    static final SiteProfile UNKNOWN = new SiteProfile(null, null, null);
}
