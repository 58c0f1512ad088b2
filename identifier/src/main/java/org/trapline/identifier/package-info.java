/**
 * Identifier service (not built yet, see the open issues): Matches each animal detection against the gallery of known individuals and publishes sightings, with a review loop.
 */
package org.trapline.identifier;
