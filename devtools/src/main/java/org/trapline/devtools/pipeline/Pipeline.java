package org.trapline.devtools.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.trapline.config.KafkaClientSettings;
import org.trapline.config.TraplineConfig;
import org.trapline.deploy.Trapline;
import org.trapline.localstack.process.JavaProcess;
import org.trapline.localstack.samples.SharedData;

/**
 * The services of the pipeline, each a real OS process (the {@code trapline} command's service
 * subcommands, the service image's entry point, with one configuration file), so that one can be killed as a crash would kill it and
 * started again. Logs go to one file per service.
 */
public final class Pipeline implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path configFile;
    private final TraplineConfig config;
    private final Path workDir;
    private final Path logDir;
    private final Map<ServiceKind, JavaProcess> running = new EnumMap<>(ServiceKind.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Pipeline(Path configFile, Path workDir, Path logDir) {
        this.configFile = configFile.toAbsolutePath();
        this.config = TraplineConfig.load(this.configFile, Map.of());
        this.workDir = workDir;
        this.logDir = logDir;
    }

    /** Starts the services, one after the other, each once it answers on its health endpoint. */
    public static Pipeline start(Path configFile, Path workDir, Path logDir, Set<ServiceKind> services)
            throws IOException, InterruptedException {
        Pipeline pipeline = new Pipeline(configFile, workDir, logDir);
        try {
            for (ServiceKind service : ServiceKind.values()) {
                if (services.contains(service)) {
                    pipeline.start(service);
                }
            }
            return pipeline;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /** Starts a service (again) and waits until it is healthy. */
    public void start(ServiceKind service) throws IOException, InterruptedException {
        if (running.containsKey(service) && running.get(service).isAlive()) {
            throw new IllegalStateException(service + " is already running");
        }
        JavaProcess process = JavaProcess.start(service.serviceName(), jvmOptions(),
                List.of(Trapline.class.getName(), service.command, "--config", configFile.toString()),
                workDir, logDir.resolve(service.serviceName() + ".log"));
        running.put(service, process);
        process.awaitReady(() -> healthy(service), START_TIMEOUT);
    }

    /** Kills a service at once (SIGKILL): no shutdown hook, no flush, no goodbye to the broker. */
    public void kill(ServiceKind service) throws InterruptedException {
        JavaProcess process = running.remove(service);
        if (process != null) {
            process.kill();
            process.close();
        }
    }

    /** Stops a service gracefully (SIGTERM). */
    public void stop(ServiceKind service) {
        JavaProcess process = running.remove(service);
        if (process != null) {
            process.close();
        }
    }

    public boolean isRunning(ServiceKind service) {
        return running.containsKey(service) && running.get(service).isAlive();
    }

    public String url(ServiceKind service) {
        return "http://127.0.0.1:" + config.getInt(service.portKey, service.defaultPort);
    }

    public Path log(ServiceKind service) {
        return logDir.resolve(service.serviceName() + ".log");
    }

    /**
     * Whether every running consuming service has processed all that is committed on its input topic.
     * Frames that are in the pipeline are in exactly one such backlog or in a transaction about to
     * commit, so once this holds twice in a row with nothing new coming in, the pipeline is idle.
     */
    public long backlog() throws InterruptedException {
        CaughtUp caughtUp = new CaughtUp(new KafkaClientSettings(config));
        long behind = 0;
        for (ServiceKind service : running.keySet()) {
            if (service.consumerGroup != null) {
                behind += caughtUp.behind(service.consumerGroup, service.inputTopics);
            }
        }
        return behind;
    }

    /** Waits until nothing is left to process, checked twice a second apart; fails at the deadline. */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int idleChecks = 0;
        while (idleChecks < 2) {
            for (Map.Entry<ServiceKind, JavaProcess> service : running.entrySet()) {
                if (!service.getValue().isAlive()) {
                    throw new IllegalStateException(service.getKey() + " died:\n" + service.getValue().tail(30));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline still had work after " + timeout);
            }
            idleChecks = backlog() == 0 ? idleChecks + 1 : 0;
            Thread.sleep(500);
        }
    }

    /**
     * Waits until every running service says it is ready ({@code /ready}: for the aggregator, that its stores
     * answer questions; after a restart it restores them from their changelogs first); fails at the deadline.
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServiceKind service : running.keySet()) {
            while (!answers200(service, "/ready")) {
                if (!running.get(service).isAlive()) {
                    throw new IllegalStateException(service + " died:\n" + running.get(service).tail(30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service + " was not ready after " + timeout + " (" + url(service) + "/ready)");
                }
                Thread.sleep(200);  // between looks; the deadline above bounds the wait
            }
        }
    }

    private boolean healthy(ServiceKind service) {
        return answers200(service, "/health");
    }

    private boolean answers200(ServiceKind service, String path) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url(service) + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** This JVM's module and native-access options (DJL, Lucene and JavaCV need them), a heap cap, the classpath. */
    public static List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-modules") || argument.startsWith("--enable-native-access")
                    || argument.startsWith("--sun-misc-unsafe-memory-access") || argument.startsWith("-Dai.djl")
                    || argument.startsWith("-Djava.io.tmpdir") || argument.startsWith("-Dlogback")
                    || argument.startsWith("-D" + SharedData.DIR_PROPERTY + "=")) {
                options.add(argument);
            }
        }
        options.add("-Xmx1g");
        options.add("-cp");
        options.add(System.getProperty("java.class.path"));
        return options;
    }

    @Override
    public void close() {
        List<ServiceKind> reverse = new ArrayList<>(running.keySet());
        java.util.Collections.reverse(reverse);
        reverse.forEach(this::stop);
    }
}
