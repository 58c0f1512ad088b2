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

    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * A service's two keys, written out whole where the service declares them (so that a search of the code for a
     * key finds who reads it, as the deployment checks do), with its default port.
     */
    public record Keys(String host, String port, int defaultPort) {
    }

    public static HttpSettings fromConfig(TraplineConfig config, Keys keys) {
        return new HttpSettings(config.get(keys.host(), DEFAULT_HOST), config.getInt(keys.port(), keys.defaultPort()));
    }
}
