package org.trapline.localstack.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.trapline.localstack.process.FreePorts;
import org.trapline.localstack.process.JavaProcess;

/**
 * A real Apicurio Registry server, run as its own process from the distribution on Maven Central
 * ({@code io.apicurio:apicurio-registry-app:tar.gz:all}, unpacked by this module's build). It listens on
 * loopback only, its management interface included, and offers the Confluent-compatible API at
 * {@code /apis/ccompat/v7}.
 */
public final class ApicurioRegistryServer implements AutoCloseable {

    /** Overrides where the unpacked distribution lies (the directory holding quarkus-run.jar). */
    public static final String HOME_PROPERTY = "trapline.registry.home";
    public static final String HOME_ENV = "TRAPLINE_REGISTRY_HOME";

    private final JavaProcess process;
    private final String url;

    private ApicurioRegistryServer(JavaProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts a registry with in-memory storage on a free port; working files and log under {@code workDir}. */
    public static ApicurioRegistryServer start(Path workDir) throws IOException, InterruptedException {
        return start(workDir, FreePorts.next(), Map.of());
    }

    /**
     * Starts a registry on {@code port}. {@code settings} are extra runtime properties, e.g. a storage
     * of its own ({@code apicurio.storage.kind=sql}, {@code apicurio.datasource.url=jdbc:h2:file:…}).
     */
    public static ApicurioRegistryServer start(Path workDir, int port, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path home = home();
        Path runner = home.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException("no Apicurio Registry at " + home + " (missing quarkus-run.jar): build "
                    + "the localstack module, or set " + HOME_ENV);
        }
        if (FreePorts.inUse(port)) {
            throw new IllegalStateException("cannot start the schema registry: port " + port + " is already in use");
        }
        List<String> jvmArgs = new ArrayList<>(List.of(
                "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // the management interface defaults to 0.0.0.0:9000: keep it on loopback, on a port of its own
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + FreePorts.next()));
        settings.forEach((key, value) -> jvmArgs.add("-D" + key + "=" + value));
        JavaProcess process = JavaProcess.start("apicurio-registry", jvmArgs, List.of("-jar", runner.toString()),
                workDir, workDir.resolve("registry.log"));
        String url = "http://127.0.0.1:" + port;
        try {
            process.awaitReady(() -> answers(url + "/apis/registry/v3/system/info"), Duration.ofSeconds(90));
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
        return new ApicurioRegistryServer(process, url);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}; the APIs lie under it. */
    public String url() {
        return url;
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    static Path home() {
        return Optional.ofNullable(System.getProperty(HOME_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(HOME_ENV)))
                .or(() -> Optional.ofNullable(buildProperties().getProperty("apicurio.registry.home")))
                .map(Path::of)
                .orElseThrow(() -> new IllegalStateException("Apicurio Registry location unknown: set " + HOME_ENV));
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = ApicurioRegistryServer.class.getResourceAsStream("/trapline-localstack.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static boolean answers(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
