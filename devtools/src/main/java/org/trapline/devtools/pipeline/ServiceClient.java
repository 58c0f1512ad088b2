package org.trapline.devtools.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads JSON from the pipeline's own services as a dashboard would, riding out their transient answers: a
 * 503 (a Kafka Streams rebalance, stores still restoring after a restart: the aggregator answers "try again
 * in a moment" with a {@code Retry-After}) or a refused connection is asked again until a deadline, so the
 * main job never dies on a moment its own services announce as passing. Any other answer fails at once.
 */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration patience;

    /** @param patience how long a service may keep answering 503 (or refuse connections) before the read fails */
    public ServiceClient(Duration patience) {
        this.patience = patience;
    }

    /** A name (a site's, a species') as one segment of a path or a query value: a space is {@code %20}. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The JSON body of a 200 answer to {@code GET url}. */
    public JsonNode getJson(String url) throws IOException, InterruptedException {
        return JSON.readTree(getBytes(url));
    }

    /** The body of a 200 answer to {@code GET url}. */
    public byte[] getBytes(String url) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            HttpResponse<byte[]> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(url + " refused connections for " + patience + " (" + attempt + " tries)", e);
                }
                pause(OptionalLong.empty(), attempt);
                continue;
            }
            if (response.statusCode() == 200) {
                return response.body();
            }
            if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                throw new IOException(url + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)
                        + (response.statusCode() == 503 ? " (still so after " + patience + ", " + attempt + " tries)" : ""));
            }
            pause(response.headers().firstValueAsLong("Retry-After"), attempt);
        }
    }

    /** The service's own Retry-After when it gives one, else a backoff doubling from 100 ms; never over 5 s. */
    private static void pause(OptionalLong retryAfterSeconds, int attempt) throws InterruptedException {
        long millis = retryAfterSeconds.isPresent() ? retryAfterSeconds.getAsLong() * 1000
                : 100L << Math.min(attempt - 1, 6);
        Thread.sleep(Math.max(50, Math.min(millis, MAX_PAUSE.toMillis())));
    }
}
