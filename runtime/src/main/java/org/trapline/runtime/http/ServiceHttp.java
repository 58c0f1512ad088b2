package org.trapline.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import org.trapline.runtime.metrics.ServiceMetrics;

/**
 * A service's HTTP server, the same for every service: Javalin, requests on virtual threads, JSON as Trapline's
 * APIs write it ({@link #jsonMapper()}), and the routes every service answers alike:
 *
 * <pre>
 * GET /health    {"status": "UP"} (200) while the service works, {"status": "DOWN"} (503) once it cannot
 *                (its loop stopped, its Streams client failed), with any details the service adds
 * GET /ready     {"CHECK": "UP", …}: 200 when every check the service names holds, else 503
 * GET /metrics   the Prometheus text format of the service's {@link ServiceMetrics}
 * </pre>
 *
 * A service adds its own routes to {@link #app()}; an {@link HttpError} thrown from one is answered with its
 * status and {@code {"status": …, "error": …}}, as {@link #error} answers.
 */
public final class ServiceHttp implements AutoCloseable {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;

    private ServiceHttp(Javalin app) {
        this.app = app;
    }

    /** JSON as the APIs write it: times as ISO-8601 text, not numbers. */
    public static ObjectMapper jsonMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public static Builder builder(ServiceMetrics metrics) {
        return new Builder(metrics);
    }

    /** The server, for the service's own routes. */
    public Javalin app() {
        return app;
    }

    public ServiceHttp start(HttpSettings settings) {
        app.start(settings.host(), settings.port());
        return this;
    }

    /** The port it listens on (the one picked, when configured as 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Answers {@code {"status": status, "error": message}}, every service's form of a refusal. */
    public static void error(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        ctx.status(status).json(body);
    }

    /** What a service's HTTP server answers besides its own routes. */
    public static final class Builder {

        private final ServiceMetrics metrics;
        private BooleanSupplier alive = () -> true;
        private final Map<String, Supplier<?>> healthDetails = new LinkedHashMap<>();
        private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
        private ObjectMapper json = jsonMapper();
        private long maxRequestSize;
        private Consumer<JavalinConfig> configuration = config -> { };

        private Builder(ServiceMetrics metrics) {
            this.metrics = metrics;
        }

        /** Whether the service still works ({@code /health}); up unless told. */
        public Builder alive(BooleanSupplier alive) {
            this.alive = alive;
            return this;
        }

        /** A detail {@code /health} adds to its status (the aggregator's Streams state). */
        public Builder healthDetail(String name, Supplier<?> value) {
            healthDetails.put(name, value);
            return this;
        }

        /** A check {@code /ready} makes, reported under its name. */
        public Builder ready(String name, BooleanSupplier check) {
            readiness.put(name, check);
            return this;
        }

        public Builder json(ObjectMapper mapper) {
            this.json = mapper;
            return this;
        }

        /**
         * The largest request body Jetty takes; a service that checks sizes itself, with a precise answer, sets it
         * a little above its own limit, so that Jetty's only stops abuse.
         */
        public Builder maxRequestSize(long bytes) {
            this.maxRequestSize = bytes;
            return this;
        }

        /** Anything else of Javalin's configuration (the aggregator's static pages). */
        public Builder configure(Consumer<JavalinConfig> configuration) {
            this.configuration = configuration;
            return this;
        }

        public ServiceHttp build() {
            Javalin app = Javalin.create(config -> {
                config.useVirtualThreads = true;
                config.showJavalinBanner = false;
                config.jsonMapper(new JavalinJackson(json, true));
                if (maxRequestSize > 0) {
                    config.http.maxRequestSize = maxRequestSize;
                }
                configuration.accept(config);
            });
            app.get("/health", this::health);
            app.get("/ready", this::ready);
            app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
            app.exception(HttpError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            return new ServiceHttp(app);
        }

        private void health(Context ctx) {
            boolean up = alive.getAsBoolean();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            healthDetails.forEach((name, value) -> body.put(name, value.get()));
            ctx.status(up ? 200 : 503).json(body);
        }

        private void ready(Context ctx) {
            Map<String, String> body = new LinkedHashMap<>();
            boolean ready = true;
            for (Map.Entry<String, BooleanSupplier> check : readiness.entrySet()) {
                boolean holds = check.getValue().getAsBoolean();
                ready &= holds;
                body.put(check.getKey(), holds ? "UP" : "DOWN");
            }
            ctx.status(ready ? 200 : 503).json(body);
        }
    }
}
