package org.trapline.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few calls of the Confluent-compatible registry API that Trapline needs: register a schema under a
 * subject, set a subject's compatibility, and fetch a schema by the id found in a record's bytes. Any
 * registry that speaks this API (Apicurio's {@code /apis/ccompat/v7}, Confluent's) works.
 */
public final class ConfluentCompatibleRegistry {

    /** The registry refused a request; {@link #status()} is its HTTP status (409: incompatible schema). */
    public static final class RegistryException extends RuntimeException {
        private final int status;

        RegistryException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl the API root, e.g. {@code http://host:8081/apis/ccompat/v7} */
    public ConfluentCompatibleRegistry(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Registers {@code schema} (Avro JSON) under {@code subject}; returns its global id. */
    public int register(String subject, String schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject) + "/versions", Map.of("schema", schema));
        return body.get("id").asInt();
    }

    /** Sets the compatibility level of one subject (BACKWARD, FORWARD, FULL, NONE, …). */
    public void setCompatibility(String subject, String level) {
        send("PUT", "/config/" + encode(subject), Map.of("compatibility", level));
    }

    /** The compatibility level set on this subject itself. */
    public String compatibility(String subject) {
        JsonNode body = send("GET", "/config/" + encode(subject), null);
        JsonNode level = body.has("compatibilityLevel") ? body.get("compatibilityLevel") : body.get("compatibility");
        return level == null ? null : level.asText();
    }

    /** The schema (Avro JSON) with this global id, as a Confluent-format reader looks it up. */
    public String schemaById(int id) {
        return send("GET", "/schemas/ids/" + id, null).get("schema").asText();
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", CONTENT_TYPE);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new RegistryException(response.statusCode(),
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("schema registry at " + baseUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the schema registry", e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
