/**
 * The aggregator: live counts per site with Kafka Streams ({@code counts}), served over HTTP
 * ({@code http}), exported as Camtrap DP ({@code export}) and shown on a dashboard page
 * ({@code dashboard}); {@link org.trapline.aggregator.AggregatorService} is the main.
 */
package org.trapline.aggregator;
