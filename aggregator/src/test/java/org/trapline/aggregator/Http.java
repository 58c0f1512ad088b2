package org.trapline.aggregator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.trapline.aggregator.http.AggregatorApi;

/** GET requests against an aggregator, and waiting for an answer to satisfy a condition. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body, String servedBy) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Http() {
    }

    static Answer get(int port, String path) {
        return getWithKey(port, path, null);
    }

    /** A GET with an API key (none when null). */
    static Answer getWithKey(int port, String path, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        return send(apiKey == null ? request : request.header("X-Api-Key", apiKey));
    }

    /** A POST of a JSON body, with the API key when one is given. */
    static Answer post(int port, String path, String json, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return send(apiKey == null ? request : request.header("X-Api-Key", apiKey));
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue(AggregatorApi.SERVED_BY).orElse(null));
        } catch (IOException e) {
            return new Answer(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asks until the answer satisfies {@code done} (checking every 250 ms) and returns it; fails at the deadline. */
    static Answer await(int port, String path, Predicate<Answer> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last = get(port, path);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "; last answer from " + path + ": "
                        + last.status() + " " + last.body());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = get(port, path);
        }
        return last;
    }
}
