package org.trapline.aggregator.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's live counts: every site's all-time counts as server-sent events ({@code GET /api/live},
 * event {@code sites}), sent to each page when it connects and again whenever they change. The counts
 * are read (from every instance, through the API) at a fixed interval while a page is connected, and
 * sent only when different.
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** Every site's counts now; throws when they cannot be read at the moment. */
    @FunctionalInterface
    public interface Snapshot {
        List<JsonNode> read() throws Exception;
    }

    private final Snapshot snapshot;
    private final ObjectMapper json;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-live-feed");
        t.setDaemon(true);
        return t;
    });
    private volatile String last;

    public LiveFeed(Snapshot snapshot, ObjectMapper json, Duration interval) {
        this.snapshot = snapshot;
        this.json = json;
        timer.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The page, its assets and the event stream. */
    public void routes(Javalin app) {
        app.sse("/api/live", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            clients.add(client);
            String current = last;
            if (current != null) {
                client.sendEvent("sites", current);
            }
        });
    }

    private void refresh() {
        if (clients.isEmpty()) {
            // nobody watching: ask no instance; the next page to connect gets counts within an interval
            last = null;
            return;
        }
        try {
            String now = json.writeValueAsString(snapshot.read());
            if (!now.equals(last)) {
                last = now;
                for (SseClient client : clients) {
                    client.sendEvent("sites", now);
                }
            }
        } catch (JsonProcessingException e) {
            log.warn("live counts could not be written: {}", e.toString());
        } catch (Exception e) {
            // counts moving between instances, or one not answering: the next round tries again
            log.debug("live counts not readable this round: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
