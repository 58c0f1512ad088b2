package org.trapline.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trapline.auth.ApiKeys;
import org.trapline.config.TraplineConfig;
import org.trapline.runtime.metrics.ServiceMetrics;

/** What every service's HTTP server answers alike, on a real server (a free port), without the service. */
class ServiceHttpTest {

    static final String OPERATOR_KEY = ApiKeys.newKey();
    static final String GATEWAY_KEY = ApiKeys.newKey();

    final ServiceMetrics metrics = new ServiceMetrics();
    final AtomicBoolean alive = new AtomicBoolean(true);
    final AtomicBoolean stored = new AtomicBoolean(true);
    final HttpClient client = HttpClient.newHttpClient();
    ServiceHttp http;

    @AfterEach
    void stop() {
        http.close();
        metrics.close();
    }

    void start() {
        ApiKeyAuth auth = new ApiKeyAuth(ApiKeys.fromConfig(TraplineConfig.of(Map.of(
                "ingest.operator.amara.key.sha256", ApiKeys.hash(OPERATOR_KEY),
                "ingest.gateway.north.key.sha256", ApiKeys.hash(GATEWAY_KEY)))));
        http = ServiceHttp.builder(metrics).alive(alive::get).healthDetail("loop", () -> alive.get() ? "polling" : "stopped")
                .ready("loop", alive::get).ready("blobStore", stored::get).build();
        http.app().post("/api/change", ctx -> ctx.json(Map.of("by",
                auth.requireOperator(ctx, "an operator's key is needed", "only operators may change it").name())));
        http.start(new HttpSettings("127.0.0.1", 0));
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (header != null) {
            request.header(header, value);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return ServiceHttp.jsonMapper().readTree(response.body());
    }

    @Test
    void healthAndReadinessSayWhatHoldsAndMetricsAreScraped() throws Exception {
        start();
        assertEquals(200, get("/health").statusCode());
        assertEquals("UP", json(get("/health")).get("status").asText());
        assertEquals("polling", json(get("/health")).get("loop").asText());
        assertEquals(200, get("/ready").statusCode());

        stored.set(false);
        HttpResponse<String> ready = get("/ready");
        assertEquals(503, ready.statusCode());
        assertEquals("UP", json(ready).get("loop").asText());
        assertEquals("DOWN", json(ready).get("blobStore").asText(), "the check that fails is named");

        alive.set(false);
        assertEquals(503, get("/health").statusCode());
        assertEquals("DOWN", json(get("/health")).get("status").asText());

        HttpResponse<String> scraped = get("/metrics");
        assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(scraped.body().contains("jvm_memory_used_bytes"), "the JVM's metrics");
    }

    @Test
    void anOperatorsKeyIsTakenFromEitherHeaderAndRefusalsSayWhy() throws Exception {
        start();
        HttpResponse<String> none = post("/api/change", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(Map.of("status", 401, "error", "an operator's key is needed"),
                ServiceHttp.jsonMapper().convertValue(json(none), Map.class));
        assertEquals(403, post("/api/change", "X-Api-Key", GATEWAY_KEY).statusCode());
        assertEquals("amara", json(post("/api/change", "X-Api-Key", OPERATOR_KEY)).get("by").asText());
        assertEquals("amara", json(post("/api/change", "Authorization", "Bearer " + OPERATOR_KEY)).get("by").asText());
    }
}
