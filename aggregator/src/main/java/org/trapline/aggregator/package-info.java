/**
 * Aggregator service (not built yet, see the open issues): Kafka Streams: live counts per site (sightings, independent events, distinct individuals, activity, estimates), served over HTTP.
 */
package org.trapline.aggregator;
