package org.trapline.localstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Java program run as a real OS process with the JDK that runs this one, its output going to a log
 * file. Stopping it sends SIGTERM and waits; a JVM shutdown hook does the same when the parent ends
 * (normally or on Ctrl-C), so that no child outlives its parent.
 */
public final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private JavaProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, name + "-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code java <jvmArgs> <programArgs>} in {@code workDir}, output appended to {@code logFile}. */
    public static JavaProcess start(String name, List<String> jvmArgs, List<String> programArgs, Path workDir,
                                    Path logFile) throws IOException {
        Files.createDirectories(workDir);
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.addAll(programArgs);
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new JavaProcess(name, process, logFile);
    }

    /** Runs a Java program to completion; fails with its output when it does not exit 0. */
    public static void runToCompletion(String name, List<String> jvmArgs, List<String> programArgs, Path workDir,
                                       Path logFile, Duration timeout) throws IOException, InterruptedException {
        try (JavaProcess process = start(name, jvmArgs, programArgs, workDir, logFile)) {
            if (!process.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + "; log: " + logFile);
            }
            if (process.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + process.process.exitValue()
                        + ":\n" + process.tail(30));
            }
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits until {@code ready} holds, checking every 200 ms; fails early when the process dies and
     * after {@code timeout} otherwise, quoting the end of its log.
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready:\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail(40));
            }
            Thread.sleep(200);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Kills the process at once, as a crash would (SIGKILL). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The last lines of the log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** Graceful stop: SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or will run: nothing left to do
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
