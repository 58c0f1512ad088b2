package org.trapline.runtime.http;

import org.trapline.config.TraplineConfig;

/**
 * Where a service's HTTP API listens, under the service's own prefix; each key declared here once, the default
 * port the service's:
 *
 * <pre>
 * SERVICE.http.host   127.0.0.1: the address to listen on (0.0.0.0 in a container)
 * SERVICE.http.port   ingest 8082, detector 8083, identifier 8084, aggregator 8085; 0 picks a free one
 * </pre>
 */
public record HttpSettings(String host, int port) {

    public static final String HOST = "http.host";
    public static final String PORT = "http.port";
    public static final String DEFAULT_HOST = "127.0.0.1";

    public static HttpSettings fromConfig(TraplineConfig config, String service, int defaultPort) {
        return new HttpSettings(config.get(service + "." + HOST, DEFAULT_HOST), config.getInt(service + "." + PORT, defaultPort));
    }
}
