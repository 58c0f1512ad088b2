package org.trapline.aggregator.dashboard;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real headless Chromium, driven over the DevTools protocol (the JDK's own WebSocket client): open a
 * page, evaluate JavaScript in it, take a screenshot. Chromium is Debian's package; when it is missing,
 * {@code bin/install-chromium.sh} is run once to install it.
 */
public final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Chromium(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Chromium on this machine: {@code TRAPLINE_CHROMIUM}, the PATH, or where the install script unpacks it. */
    public static Optional<Path> locate(Path projectRoot) {
        String configured = System.getenv("TRAPLINE_CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        Path unpacked = projectRoot.resolve(".trapline/chromium/chromium");
        return Files.isExecutable(unpacked) ? Optional.of(unpacked) : Optional.empty();
    }

    /** Chromium, installed by {@code bin/install-chromium.sh} first when missing; empty if that cannot be done. */
    public static Optional<Path> locateOrInstall(Path projectRoot, Path log) throws IOException, InterruptedException {
        Optional<Path> found = locate(projectRoot);
        if (found.isPresent()) {
            return found;
        }
        Path script = projectRoot.resolve("bin/install-chromium.sh");
        if (Files.isExecutable(script)) {
            Process install = new ProcessBuilder(script.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!install.waitFor(10, TimeUnit.MINUTES)) {
                install.destroyForcibly();
            }
        }
        return locate(projectRoot);
    }

    /** Starts headless Chromium with a fresh profile in {@code profile} and its DevTools on a free port. */
    public static Chromium start(Path executable, Path profile, Path log) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,1000",
                "about:blank"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(activePort) || Files.readAllLines(activePort).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Chromium did not start its DevTools endpoint; log: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return new Chromium(process, Integer.parseInt(Files.readAllLines(activePort).get(0).trim()));
    }

    /** A new tab on {@code url}. */
    public Page open(String url) throws IOException, InterruptedException {
        HttpResponse<String> target = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?"
                + URLEncoder.encode(url, StandardCharsets.UTF_8))).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (target.statusCode() != 200) {
            throw new IllegalStateException("Chromium would not open a tab: " + target.statusCode() + " " + target.body());
        }
        String socket = JSON.readTree(target.body()).get("webSocketDebuggerUrl").asText();
        Page page = new Page();
        page.socket = http.newWebSocketBuilder().buildAsync(URI.create(socket), page).join();
        return page;
    }

    /** The strings of a JSON array a page gave back. */
    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** One tab, over its DevTools WebSocket. */
    public static final class Page implements WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        public JsonNode send(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
            JsonNode response = answer.get(30, TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + ": " + response.get("error"));
            }
            return response.get("result");
        }

        /** The value of a JavaScript expression in the page (promises awaited); null when it throws. */
        public JsonNode evaluate(String expression) throws Exception {
            JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            return result.has("exceptionDetails") ? null : result.get("result").get("value");
        }

        /** Evaluates until the value satisfies {@code done}; fails with the last value at the deadline. */
        public JsonNode await(String expression, Predicate<JsonNode> done, Duration timeout, String what) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode value = evaluate(expression);
            while (value == null || !done.test(value)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the page did not show " + what + " within " + timeout + "; " + expression
                            + " is " + value);
                }
                Thread.sleep(100);
                value = evaluate(expression);
            }
            return value;
        }

        /** Presses a key as a person would, on whatever has the focus: "s", "j", "Enter", "Escape". */
        public void press(String key) throws Exception {
            Map<String, Object> down = new java.util.HashMap<>(Map.of("type", "keyDown", "key", key));
            switch (key) {
                case "Enter" -> down.putAll(Map.of("code", "Enter", "windowsVirtualKeyCode", 13, "text", "\r"));
                case "Escape" -> down.putAll(Map.of("code", "Escape", "windowsVirtualKeyCode", 27));
                default -> down.putAll(Map.of("text", key, "windowsVirtualKeyCode", (int) Character.toUpperCase(key.charAt(0))));
            }
            send("Input.dispatchKeyEvent", down);
            Map<String, Object> up = new java.util.HashMap<>(down);
            up.put("type", "keyUp");
            up.remove("text");
            send("Input.dispatchKeyEvent", up);
        }

        /** Types text into whatever has the focus, as an input method would. */
        public void type(String text) throws Exception {
            send("Input.insertText", Map.of("text", text));
        }

        /** Lays the page out at this size (a tall one holds the whole page in one screenshot). */
        public void viewport(int width, int height) throws Exception {
            send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                    "mobile", false));
        }

        /** A PNG of the viewport, once the page (brought to the front) has drawn its next frame. */
        public byte[] screenshot() throws Exception {
            // a page in a background tab draws no frames: bring it to the front first
            send("Page.bringToFront", Map.of());
            evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
            return Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
