package org.trapline.deploy.pipeline;

/**
 * The four services as the {@code trapline} command starts them: the subcommand, the configuration key
 * of its HTTP port (health, metrics, API), and the consumer group whose progress tells whether it has
 * caught up with its input topic (ingest reads none).
 */
public enum ServiceKind {
    INGEST("ingest", "ingest.http.port", 8082, null, null),
    DETECTOR("detect", "detector.http.port", 8083, "detector", "frames"),
    IDENTIFIER("identify", "identifier.http.port", 8084, "identifier", "detections"),
    AGGREGATOR("aggregate", "aggregator.http.port", 8085, "aggregator", "sightings");

    final String command;
    final String portKey;
    final int defaultPort;
    final String consumerGroup;
    final String inputTopic;

    ServiceKind(String command, String portKey, int defaultPort, String consumerGroup, String inputTopic) {
        this.command = command;
        this.portKey = portKey;
        this.defaultPort = defaultPort;
        this.consumerGroup = consumerGroup;
        this.inputTopic = inputTopic;
    }

    public String serviceName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
