package org.trapline.devtools.pipeline;

/**
 * The four services as the {@code trapline} command starts them: the subcommand, the configuration key
 * of its HTTP port (health, metrics, API), and the consumer group whose progress tells whether it has
 * caught up with its input topics (ingest reads none).
 */
public enum ServiceKind {
    INGEST("ingest", "ingest.http.port", 8082, null),
    DETECTOR("detect", "detector.http.port", 8083, "detector", "frames"),
    IDENTIFIER("identify", "identifier.http.port", 8084, "identifier", "detections"),
    // a Kafka Streams application: its group is its application id, and it reads the gallery through a
    // topic of its own as well
    AGGREGATOR("aggregate", "aggregator.http.port", 8085, "trapline-aggregator", "sightings", "individuals",
            "trapline-aggregator-gallery");

    final String command;
    final String portKey;
    final int defaultPort;
    final String consumerGroup;
    final java.util.List<String> inputTopics;

    ServiceKind(String command, String portKey, int defaultPort, String consumerGroup, String... inputTopics) {
        this.command = command;
        this.portKey = portKey;
        this.defaultPort = defaultPort;
        this.consumerGroup = consumerGroup;
        this.inputTopics = java.util.List.of(inputTopics);
    }

    /** The configuration key of its HTTP port. */
    public String portKey() {
        return portKey;
    }

    public String serviceName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
