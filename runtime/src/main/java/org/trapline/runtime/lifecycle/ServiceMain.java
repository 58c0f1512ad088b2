package org.trapline.runtime.lifecycle;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.config.TraplineConfig;

/**
 * Every service's {@code main}, one shape: the configuration (the file named by the first argument, else by
 * {@code TRAPLINE_CONFIG}, overridden by the {@code TRAPLINE_*} environment), the service started, closed by a
 * shutdown hook when the JVM is asked to stop (SIGTERM, Ctrl-C), and the main thread waiting until then.
 */
public final class ServiceMain {

    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    /** How a service starts from its configuration. */
    @FunctionalInterface
    public interface Starter {
        AutoCloseable start(TraplineConfig config) throws Exception;
    }

    private ServiceMain() {
    }

    /** Loads the configuration, starts the service and serves until the JVM is stopped. */
    public static void run(String service, String[] args, Starter starter) throws Exception {
        TraplineConfig config = TraplineConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
        serveUntilStopped(service, starter.start(config));
    }

    /** Closes a started service when the JVM is asked to stop, and waits until then. */
    public static void serveUntilStopped(String service, AutoCloseable started) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.close();
            } catch (Exception e) {
                log.error("{} did not stop cleanly", service, e);
            }
        }, service + "-shutdown"));
        Thread.currentThread().join();
    }
}
