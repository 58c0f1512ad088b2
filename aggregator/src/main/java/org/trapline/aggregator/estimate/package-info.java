/**
 * Estimators for unmarked species, as pure functions (no Kafka, no state): detection histories of
 * sampling occasions ({@link org.trapline.aggregator.estimate.DetectionHistory}), the single-season
 * occupancy model ψ(.)p(.) of MacKenzie et al. 2002 ({@link org.trapline.aggregator.estimate.Occupancy}),
 * and density from the random encounter model of Rowcliffe et al. 2008
 * ({@link org.trapline.aggregator.estimate.RandomEncounter}). docs/estimators.md describes them.
 */
package org.trapline.aggregator.estimate;
