package org.trapline.detector.repeat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.schema.Detection;

/**
 * MegaDetector's repeat-detection elimination, as a stream: a small box that comes back at the same
 * place on the same camera again and again (IoU ≥ 0.9, 20 times, at most a fifth of the image) is most
 * likely a rock, a branch or a post the network takes for an animal. From then on such boxes are
 * suppressed: kept on the frame for review, not sent on to identification. An operator who knows better
 * (a bird on its nest) allows the place, and its boxes pass again.
 *
 * <p>Counts change only once a frame's result is committed ({@link #record}), so a batch that is
 * processed twice after a crash is not counted twice; they are kept per camera in the blob store, so a
 * restart keeps what was learnt.
 */
public final class RepeatDetections {

    /** A place on one camera where boxes recur. */
    public record Place(String id, String cameraId, float x, float y, float width, float height, int count,
                        Instant firstSeen, Instant lastSeen, boolean allowed) {

        float iou(Detection d) {
            var b = d.getBbox();
            float ix = Math.max(0, Math.min(x + width, b.getX() + b.getWidth()) - Math.max(x, b.getX()));
            float iy = Math.max(0, Math.min(y + height, b.getY() + b.getHeight()) - Math.max(y, b.getY()));
            float intersection = ix * iy;
            float union = width * height + b.getWidth() * b.getHeight() - intersection;
            return union <= 0 ? 0 : intersection / union;
        }
    }

    /** A frame's detections split into those sent on and those suppressed, with what to count on commit. */
    public record Split(List<Detection> kept, List<Detection> suppressed, String cameraId, List<Detection> observed,
                        Instant time) {
    }

    /** Thresholds; MegaDetector's defaults are 0.9, 20 and 0.2. */
    public record Settings(float iou, int occurrences, float maxArea) {
    }

    private final BlobStore store;
    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Map<String, List<Place>> byCamera = new ConcurrentHashMap<>();

    public RepeatDetections(BlobStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** Which of a frame's detections sit at a place seen too often to be an animal. */
    public Split classify(String cameraId, List<Detection> detections, Instant time) {
        List<Place> places = places(cameraId);
        List<Detection> kept = new ArrayList<>();
        List<Detection> suppressed = new ArrayList<>();
        List<Detection> observed = new ArrayList<>();
        for (Detection d : detections) {
            float area = d.getBbox().getWidth() * d.getBbox().getHeight();
            if (area > settings.maxArea()) {
                kept.add(d);
                continue;
            }
            observed.add(d);
            Optional<Place> place = match(places, d);
            boolean repeat = place.isPresent() && !place.get().allowed() && place.get().count() >= settings.occurrences();
            (repeat ? suppressed : kept).add(d);
        }
        return new Split(kept, suppressed, cameraId, observed, time);
    }

    /** Counts a committed frame's small boxes at their places. */
    public void record(Split split) {
        record(List.of(split));
    }

    /** Counts the committed frames' small boxes at their places, saving each camera once. */
    public synchronized void record(List<Split> splits) {
        Map<String, List<Place>> changed = new LinkedHashMap<>();
        for (Split split : splits) {
            if (split.observed().isEmpty()) {
                continue;
            }
            List<Place> places = changed.computeIfAbsent(split.cameraId(), camera -> new ArrayList<>(places(camera)));
            for (Detection d : split.observed()) {
                Optional<Place> match = match(places, d);
                if (match.isPresent()) {
                    Place p = match.get();
                    places.set(places.indexOf(p), new Place(p.id(), p.cameraId(), p.x(), p.y(), p.width(), p.height(),
                            p.count() + 1, p.firstSeen(), split.time(), p.allowed()));
                } else {
                    var b = d.getBbox();
                    places.add(new Place(UUID.randomUUID().toString(), split.cameraId(), b.getX(), b.getY(), b.getWidth(),
                            b.getHeight(), 1, split.time(), split.time(), false));
                }
            }
        }
        changed.forEach(this::save);
    }

    /** Every place seen at least twice, most frequent first: what an operator reviews. */
    public List<Place> review() {
        return byCamera.values().stream().flatMap(List::stream).filter(p -> p.count() > 1)
                .sorted(Comparator.comparingInt(Place::count).reversed()).toList();
    }

    public List<Place> review(String cameraId) {
        return places(cameraId).stream().filter(p -> p.count() > 1)
                .sorted(Comparator.comparingInt(Place::count).reversed()).toList();
    }

    /** An operator says this place holds a real animal: its boxes pass from now on. */
    public synchronized Optional<Place> allow(String cameraId, String placeId) {
        List<Place> places = new ArrayList<>(places(cameraId));
        for (int i = 0; i < places.size(); i++) {
            Place p = places.get(i);
            if (p.id().equals(placeId)) {
                Place allowed = new Place(p.id(), p.cameraId(), p.x(), p.y(), p.width(), p.height(), p.count(),
                        p.firstSeen(), p.lastSeen(), true);
                places.set(i, allowed);
                save(cameraId, places);
                return Optional.of(allowed);
            }
        }
        return Optional.empty();
    }

    private Optional<Place> match(List<Place> places, Detection d) {
        return places.stream().filter(p -> p.iou(d) >= settings.iou()).max(Comparator.comparingInt(Place::count));
    }

    private List<Place> places(String cameraId) {
        return byCamera.computeIfAbsent(cameraId, camera -> {
            try {
                return store.get(key(camera)).map(bytes -> read(bytes)).orElse(List.of());
            } catch (IOException e) {
                throw new UncheckedIOException("repeat detections of camera " + camera + " unreadable", e);
            }
        });
    }

    private List<Place> read(byte[] bytes) {
        try {
            return json.readValue(bytes, new TypeReference<List<Place>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save(String cameraId, List<Place> places) {
        byCamera.put(cameraId, List.copyOf(places));
        try {
            // a put keeps an object that exists, so the old version goes first (a crash between the two
            // forgets the counts of one camera, which are learnt again)
            byte[] bytes = json.writeValueAsBytes(places);
            store.delete(key(cameraId));
            store.put(key(cameraId), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("repeat detections of camera " + cameraId + " not saved", e);
        }
    }

    private static String key(String cameraId) {
        return BlobKeys.of("repeat-detections", cameraId + ".json");
    }
}
