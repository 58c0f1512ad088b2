package org.trapline.identifier.http;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.trapline.auth.ApiKeys;
import org.trapline.blob.JpegEncoder;
import org.trapline.identifier.IdentifierService;
import org.trapline.identifier.crop.Crops;
import org.trapline.identifier.gallery.Gallery;
import org.trapline.identifier.identify.PhotoIdentifier;
import org.trapline.identifier.life.LifeHistoryEdit;
import org.trapline.identifier.life.LifeHistoryEdit.Field;
import org.trapline.identifier.life.LifeHistoryRules;
import org.trapline.identifier.match.Matcher;
import org.trapline.identifier.review.ReviewDesk;
import org.trapline.identifier.review.ReviewException;
import org.trapline.media.ImageInspector;
import org.trapline.media.UnreadableImage;
import org.trapline.schema.BoundingBox;
import org.trapline.schema.IndividualUpdate;
import org.trapline.schema.LifeHistory;
import org.trapline.schema.ReferenceCrop;
import org.trapline.schema.Sex;
import org.trapline.schema.Sighting;

/**
 * The identifier's HTTP API: the review queue and the gallery for everyone who may read them, and the
 * decisions (confirm, reject, merge, split, name, life history) for operators, each answered with the state
 * it left; and the identification of a photo, which anyone may ask for and which changes nothing. Crops
 * shown to reviewers come from the frame the detector published, which is the redacted copy whenever a
 * person was on it, and only ever of an animal's box.
 */
public final class IdentifierApi {

    private final IdentifierService service;
    private final ApiKeys keys;
    private final Crops crops;
    private final URI ingestUrl;
    private final HttpClient ingest = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PrometheusMeterRegistry metrics;
    private final long maxImageBytes;
    private final ObjectMapper json = new ObjectMapper();
    private final Javalin app;

    /**
     * The life-history routes under {@code /api/individuals/{id}/}: {@code life-history} (PATCH) takes any of
     * its fields, each of the others one fact and its date or kind (PUT).
     */
    private static final Map<String, Set<Field>> LIFE_FACTS = Map.of(
            "sex", EnumSet.of(Field.SEX),
            "age-class", EnumSet.of(Field.AGE_CLASS, Field.AGE_ASSESSED_ON),
            "birth", EnumSet.of(Field.BIRTH_DATE, Field.BIRTH_DATE_KIND),
            "mother", EnumSet.of(Field.MOTHER),
            "status", EnumSet.of(Field.STATUS, Field.STATUS_DATE),
            "marks", EnumSet.of(Field.MARKS));
    /** The field each fact's route cannot do without. */
    private static final Map<String, Field> LIFE_FACT_REQUIRED = Map.of("sex", Field.SEX, "age-class", Field.AGE_CLASS,
            "birth", Field.BIRTH_DATE, "mother", Field.MOTHER, "status", Field.STATUS, "marks", Field.MARKS);

    /**
     * @param maxImageBytes the largest photo {@code POST /api/identify} takes (identifier.identify.max.image.bytes)
     * @param ingestUrl     where a photo to record is sent (identifier.ingest.url)
     */
    public IdentifierApi(IdentifierService service, ApiKeys keys, Crops crops, PrometheusMeterRegistry metrics,
                         long maxImageBytes, URI ingestUrl) {
        this.service = service;
        this.ingestUrl = ingestUrl;
        this.keys = keys;
        this.crops = crops;
        this.metrics = metrics;
        this.maxImageBytes = maxImageBytes;
        this.app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, true));
            // the photo's size is checked here, with a precise answer; Jetty's own limit only stops abuse
            config.http.maxRequestSize = maxImageBytes + 1_048_576;
        });
        routes();
    }

    public void start(String host, int port) {
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    private void routes() {
        app.get("/health", ctx -> ctx.status(service.alive() ? 200 : 503).json(Map.of("status", service.alive() ? "UP" : "DOWN")));
        app.get("/ready", ctx -> ctx.status(service.alive() ? 200 : 503));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

        app.get("/api/review", ctx -> ctx.json(service.locked(() -> service.desk().queue().stream()
                .map(s -> queued(s, service.gallery())).toList())));
        app.post("/api/review/{sighting}/confirm", ctx -> {
            String sighting = ctx.pathParam("sighting");
            String individual = requiredText(body(ctx), "individualId");
            decide(ctx, desk -> desk.confirm(sighting, individual, reviewer(ctx)), 200);
        });
        app.post("/api/review/{sighting}/reject", ctx -> {
            String sighting = ctx.pathParam("sighting");
            decide(ctx, desk -> desk.reject(sighting, reviewer(ctx)), 200);
        });

        app.get("/api/individuals", ctx -> {
            String species = ctx.queryParam("species");
            String site = ctx.queryParam("site");
            ctx.json(service.locked(() -> service.gallery().live().stream()
                    .filter(i -> species == null || i.getSpecies().equalsIgnoreCase(species))
                    .filter(i -> site == null || i.getSiteIds().contains(site))
                    .map(IdentifierApi::individual).toList()));
        });
        app.get("/api/individuals/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Map<String, Object> found = service.locked(() -> service.gallery().get(id).map(this::profile).orElse(null));
            if (found == null) {
                error(ctx, 404, "no individual '" + id + "'");
            } else {
                ctx.json(found);
            }
        });
        app.post("/api/individuals/{id}/merge", ctx -> {
            String survivor = ctx.pathParam("id");
            JsonNode body = body(ctx);
            String absorbed = requiredText(body, "from");
            Sex sex = sexNamed(ctx, body);
            decide(ctx, desk -> desk.merge(survivor, absorbed, sex, reviewer(ctx)), 200);
        });
        app.patch("/api/individuals/{id}/life-history", ctx -> {
            String id = ctx.pathParam("id");
            LifeHistoryEdit edit = LifeHistoryEdit.fromJson(body(ctx), EnumSet.allOf(Field.class), Set.of());
            decide(ctx, desk -> desk.editLifeHistory(id, edit, reviewer(ctx)), 200);
        });
        for (Map.Entry<String, Set<Field>> fact : LIFE_FACTS.entrySet()) {
            app.put("/api/individuals/{id}/" + fact.getKey(), ctx -> {
                String id = ctx.pathParam("id");
                LifeHistoryEdit edit = LifeHistoryEdit.fromJson(body(ctx), fact.getValue(),
                        Set.of(LIFE_FACT_REQUIRED.get(fact.getKey())));
                decide(ctx, desk -> desk.editLifeHistory(id, edit, reviewer(ctx)), 200);
            });
        }
        app.post("/api/identify", this::identify);
        app.post("/api/individuals/{id}/split", ctx -> {
            JsonNode body = body(ctx);
            JsonNode ids = body.get("sightingIds");
            if (ids == null || !ids.isArray()) {
                throw new ReviewException(400, "sightingIds: the sightings that are another animal, as a JSON array");
            }
            List<String> sightingIds = new java.util.ArrayList<>();
            ids.forEach(n -> sightingIds.add(n.asText()));
            String name = body.hasNonNull("name") ? body.get("name").asText() : null;
            String original = ctx.pathParam("id");
            decide(ctx, desk -> desk.split(original, sightingIds, name, reviewer(ctx)), 201);
        });
        app.put("/api/individuals/{id}/name", ctx -> {
            String id = ctx.pathParam("id");
            String name = requiredText(body(ctx), "name");
            decide(ctx, desk -> desk.rename(id, name, reviewer(ctx)), 200);
        });
        app.post("/api/individuals/{id}/confirm", ctx -> {
            String id = ctx.pathParam("id");
            decide(ctx, desk -> desk.confirmIndividual(id, reviewer(ctx)), 200);
        });

        app.get("/api/sightings/{id}", ctx -> {
            String id = ctx.pathParam("id");
            Map<String, Object> view = service.locked(() -> sighting(id));
            if (view == null) {
                error(ctx, 404, "sighting '" + id + "' is neither waiting for review nor any individual's");
            } else {
                ctx.json(view);
            }
        });
        app.get("/api/sightings/{id}/crop.jpg", ctx -> {
            String id = ctx.pathParam("id");
            Optional<ReferenceCrop> where = service.locked(() -> cropOf(id));
            if (where.isEmpty()) {
                error(ctx, 404, "no crop known for sighting '" + id + "'");
                return;
            }
            ctx.contentType("image/jpeg").result(JpegEncoder.encode(crops.crop(where.get().getBlob(), where.get().getBbox())));
        });

        app.exception(ReviewException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(Matcher.MatchException.class, (e, ctx) -> error(ctx, 422, "the photo could not be matched: " + e.getMessage()));
        app.exception(IOException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
    }

    /**
     * {@code POST /api/identify}: the photo (the body, or a multipart {@code file} part) checked as ingest checks
     * uploads (415 not JPEG or PNG, 400 truncated or corrupt, 413 too large), then ranked against the gallery.
     * Query: {@code species}, {@code site}, {@code box=x,y,w,h} (normalised), {@code top} (5); {@code record=true}
     * with {@code camera} (and {@code captureTime}) also records it, through ingest.
     */
    private void identify(Context ctx) throws ReviewException, IOException, Matcher.MatchException, InterruptedException {
        boolean record = ctx.queryParam("record") != null && !ctx.queryParam("record").equals("false");
        String camera = Optional.ofNullable(ctx.queryParam("camera")).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
        if (record && camera == null) {
            throw new ReviewException(400, "record=true needs the camera the photo was taken with (camera=…)");
        }
        String species = Optional.ofNullable(ctx.queryParam("species")).map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).orElse(null);
        String site = Optional.ofNullable(ctx.queryParam("site")).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
        BoundingBox box = box(ctx.queryParam("box"));
        int top = top(ctx.queryParam("top"));
        byte[] bytes = photo(ctx);
        try {
            ImageInspector.inspect(bytes);
        } catch (UnreadableImage e) {
            countPhoto("unreadable");
            throw new ReviewException(e.kind() == UnreadableImage.Kind.NOT_AN_IMAGE ? 415 : 400, e.getMessage());
        }
        BufferedImage photo;
        try {
            photo = Crops.decode(bytes, "the photo");
        } catch (IOException e) {
            countPhoto("unreadable");
            throw new ReviewException(400, e.getMessage());
        }
        PhotoIdentifier.Query query = new PhotoIdentifier.Query(photo, box, species, site, top);
        Map<String, Object> answer = service.identifyPhoto(query, result -> identification(query, result));
        countPhoto("identified");
        if (record) {
            answer.put("recorded", recordThroughIngest(ctx, camera, bytes));
        }
        ctx.json(answer);
    }

    /**
     * Records the photo as a sighting the one way every image enters Trapline: uploaded to ingest for the camera,
     * with the caller's key (ingest decides whether it may), so that it is checked and kept, its person redacted
     * by the detector and its animals identified by this service's loop, exactly once (ingest knows a photo it has
     * already taken by its content and camera). Nothing is published from here. Ingest's refusal is the answer.
     */
    private Map<String, Object> recordThroughIngest(Context ctx, String camera, byte[] bytes)
            throws IOException, InterruptedException, ReviewException {
        String query = "camera=" + URLEncoder.encode(camera, StandardCharsets.UTF_8)
                + Optional.ofNullable(ctx.queryParam("captureTime"))
                .map(t -> "&captureTime=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("");
        HttpRequest.Builder upload = HttpRequest.newBuilder(ingestUrl.resolve("/api/frames?" + query))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Optional.ofNullable(ctx.header("X-Api-Key")).ifPresent(key -> upload.header("X-Api-Key", key));
        HttpResponse<String> answer;
        try {
            answer = ingest.send(upload.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ReviewException(503, "ingest at " + ingestUrl + " cannot be reached to record the photo (identifier.ingest.url)");
        }
        JsonNode body;
        try {
            body = json.readTree(answer.body());
        } catch (IOException e) {
            throw new ReviewException(502, "ingest answered " + answer.statusCode() + " without JSON: " + answer.body());
        }
        if (answer.statusCode() / 100 != 2) {
            throw new ReviewException(answer.statusCode(), "ingest refused to record the photo: "
                    + body.path("error").asText(answer.body()));
        }
        countPhoto("recorded");
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("camera", camera);
        recorded.put("frameId", body.path("frameId").asText(null));
        recorded.put("ingestStatus", answer.statusCode());
        recorded.put("ingest", body);
        return recorded;
    }

    private Map<String, Object> identification(PhotoIdentifier.Query query, PhotoIdentifier.Result result) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("decision", result.decision().name());
        answer.put("individualId", result.individualId());
        answer.put("score", result.score());
        answer.put("species", result.species());
        answer.put("site", query.site());
        answer.put("box", query.box() == null ? null : List.of(query.box().getX(), query.box().getY(),
                query.box().getWidth(), query.box().getHeight()));
        answer.put("decidingMatchers", result.decidingMatchers());
        answer.put("published", false);
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (PhotoIdentifier.Candidate candidate : result.candidates()) {
            Map<String, Object> view = new LinkedHashMap<>();
            Optional<IndividualUpdate> individual = service.gallery().get(candidate.individualId());
            view.put("rank", candidate.rank());
            view.put("individualId", candidate.individualId());
            view.put("name", individual.map(IndividualUpdate::getName).orElse(null));
            view.put("species", candidate.species());
            view.put("scores", candidate.scores());
            view.put("decision", candidate.decision().name());
            view.put("profile", individual.map(this::profile).orElse(null));
            candidates.add(view);
        }
        answer.put("candidates", candidates);
        return answer;
    }

    /** The photo's bytes, raw or the multipart {@code file} part, read no further than the limit. */
    private byte[] photo(Context ctx) throws IOException, ReviewException {
        long declared;
        InputStream in;
        if (ctx.isMultipartFormData()) {
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null) {
                throw new ReviewException(400, "multipart request without a 'file' part");
            }
            declared = file.size();
            in = file.content();
        } else {
            declared = ctx.contentLength();
            in = ctx.bodyInputStream();
        }
        try (in) {
            if (declared > maxImageBytes) {
                throw tooLarge(declared);
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxImageBytes + 1));
            if (bytes.length > maxImageBytes) {
                throw tooLarge(bytes.length);
            }
            if (bytes.length == 0) {
                throw new ReviewException(400, "empty body: send the photo's bytes (JPEG or PNG)");
            }
            return bytes;
        }
    }

    private ReviewException tooLarge(long size) {
        countPhoto("too-large");
        return new ReviewException(413, "a photo of " + size + " bytes exceeds the limit of " + maxImageBytes
                + " bytes (identifier.identify.max.image.bytes)");
    }

    /** {@code x,y,w,h}, normalised as the detector writes boxes: inside the photo, not empty. */
    static BoundingBox box(String value) throws ReviewException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String[] parts = value.split(",");
        String form = "box is x,y,w,h in the photo's normalised coordinates (each 0 to 1, e.g. box=0.1,0.2,0.5,0.4), not '"
                + value + "'";
        if (parts.length != 4) {
            throw new ReviewException(400, form);
        }
        float[] numbers = new float[4];
        for (int i = 0; i < 4; i++) {
            try {
                numbers[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new ReviewException(400, form);
            }
            if (!(numbers[i] >= 0f && numbers[i] <= 1f)) {
                throw new ReviewException(400, form);
            }
        }
        // a little tolerance for boxes written with rounded corners
        if (numbers[2] <= 0f || numbers[3] <= 0f || numbers[0] + numbers[2] > 1.001f || numbers[1] + numbers[3] > 1.001f) {
            throw new ReviewException(400, "box " + value + " is empty or reaches outside the photo (x + w and y + h are at most 1)");
        }
        return new BoundingBox(numbers[0], numbers[1], numbers[2], numbers[3]);
    }

    static int top(String value) throws ReviewException {
        if (value == null || value.isBlank()) {
            return 5;
        }
        try {
            int top = Integer.parseInt(value.strip());
            if (top >= 1 && top <= 100) {
                return top;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ReviewException(400, "top is a whole number from 1 to 100, not '" + value + "'");
    }

    /** The sex a merge request says the animal is: {@code sex} in the body or the query, or none. */
    private static Sex sexNamed(Context ctx, JsonNode body) throws ReviewException {
        String named = body.hasNonNull("sex") ? body.get("sex").asText() : ctx.queryParam("sex");
        if (named == null || named.isBlank()) {
            return null;
        }
        try {
            return Sex.valueOf(named.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ReviewException(400, "sex is FEMALE, MALE or UNKNOWN, not '" + named + "'");
        }
    }

    private void countPhoto(String outcome) {
        Counter.builder("trapline.identifier.photos").tag("outcome", outcome)
                .description("photos sent to POST /api/identify: identified, unreadable, too-large, recorded").register(metrics).increment();
    }

    /** Runs an operator's decision and answers with the individuals it left. */
    private void decide(Context ctx, IdentifierService.Decision decision, int status) throws ReviewException {
        reviewer(ctx);
        ReviewDesk.Change change = service.review(decision);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("individuals", change.individuals().stream().map(IdentifierApi::individual).toList());
        answer.put("sightings", change.sightings().stream().map(s -> Map.of("sightingId", s.getSightingId(),
                "decision", s.getDecision().name(), "individualId", String.valueOf(s.getIndividualId()))).toList());
        ctx.status(status).json(answer);
    }

    /** The operator behind the request's key; 401 without a valid key, 403 for a gateway's. */
    private String reviewer(Context ctx) throws ReviewException {
        Optional<ApiKeys.Principal> principal = keys.authenticate(ctx.header("X-Api-Key"));
        if (principal.isEmpty()) {
            throw new ReviewException(401, "an operator's key is needed (X-Api-Key)");
        }
        if (!principal.get().operator()) {
            throw new ReviewException(403, "only operators may change the gallery");
        }
        return principal.get().name();
    }

    private JsonNode body(Context ctx) throws ReviewException {
        try {
            JsonNode body = json.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
            if (!body.isObject()) {
                throw new ReviewException(400, "the body must be a JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ReviewException(400, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String requiredText(JsonNode body, String field) throws ReviewException {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ReviewException(400, "'" + field + "' is required");
        }
        return value.asText();
    }

    private Map<String, Object> sighting(String id) {
        Gallery gallery = service.gallery();
        Optional<Sighting> waiting = service.desk().queued(id);
        Optional<IndividualUpdate> owner = gallery.ownerOfSighting(id);
        if (waiting.isEmpty() && owner.isEmpty()) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sightingId", id);
        view.put("status", waiting.isPresent() ? "REVIEW" : "IDENTIFIED");
        view.put("individualId", owner.map(IndividualUpdate::getIndividualId).orElse(null));
        view.put("individualName", owner.map(IndividualUpdate::getName).orElse(null));
        return view;
    }

    private Optional<ReferenceCrop> cropOf(String sightingId) {
        Optional<Sighting> waiting = service.desk().queued(sightingId);
        if (waiting.isPresent()) {
            Sighting s = waiting.get();
            return Optional.of(ReferenceCrop.newBuilder().setSightingId(sightingId).setFrameId(s.getDetection().getFrameId())
                    .setBlob(s.getDetection().getBlob()).setBbox(s.getDetection().getBbox()).build());
        }
        return service.gallery().ownerOfSighting(sightingId).flatMap(i -> i.getReferences().stream()
                .filter(r -> sightingId.equals(r.getSightingId())).findFirst());
    }

    private static Map<String, Object> queued(Sighting sighting, Gallery gallery) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sightingId", sighting.getSightingId());
        view.put("siteId", sighting.getSiteId());
        view.put("cameraId", sighting.getCameraId());
        view.put("time", sighting.getTime().toString());
        view.put("species", sighting.getSpeciesLabel());
        view.put("scientificName", sighting.getScientificName());
        view.put("eventId", sighting.getEventId());
        view.put("score", sighting.getMatchScore());
        view.put("crop", "/api/sightings/" + sighting.getSightingId() + "/crop.jpg");
        view.put("candidates", sighting.getCandidates().stream().map(c -> {
            Map<String, Object> candidate = new LinkedHashMap<>();
            candidate.put("individualId", c.getIndividualId());
            // the candidate as it stands now: it may have been named or merged since
            Optional<IndividualUpdate> now = gallery.resolve(c.getIndividualId());
            candidate.put("currentId", now.map(IndividualUpdate::getIndividualId).orElse(null));
            candidate.put("name", now.map(IndividualUpdate::getName).orElse(null));
            candidate.put("score", c.getScore());
            candidate.put("matcher", c.getMatcher());
            return candidate;
        }).toList());
        return view;
    }

    /**
     * An individual as its profile shows it: the gallery's state and its young (the individuals whose mother it
     * is), with the crops of its references (animal boxes only).
     */
    private Map<String, Object> profile(IndividualUpdate individual) {
        Map<String, Object> view = individual(individual);
        view.put("young", service.desk().lives().young(individual.getIndividualId()).stream()
                .map(IndividualUpdate::getIndividualId).toList());
        return view;
    }

    static Map<String, Object> individual(IndividualUpdate individual) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("individualId", individual.getIndividualId());
        view.put("name", individual.getName());
        view.put("species", individual.getSpecies());
        view.put("status", individual.getStatus().name());
        view.put("lastChange", individual.getChange().name());
        view.put("updated", individual.getTime().toString());
        view.put("siteIds", individual.getSiteIds());
        view.put("sightingIds", individual.getSightingIds());
        view.put("mergedInto", individual.getMergedInto());
        view.put("mergedFrom", individual.getMergedFrom());
        view.put("splitFrom", individual.getSplitFrom());
        view.put("references", individual.getReferences().stream().map(r -> Map.of(
                "sightingId", String.valueOf(r.getSightingId()), "frameId", r.getFrameId(),
                "crop", r.getSightingId() == null ? "" : "/api/sightings/" + r.getSightingId() + "/crop.jpg")).toList());
        view.put("firstSeen", individual.getFirstSeen() == null ? null : individual.getFirstSeen().toString());
        view.put("lastSeen", individual.getLastSeen() == null ? null : individual.getLastSeen().toString());
        view.put("lifeHistory", lifeHistory(individual.getLifeHistory()));
        return view;
    }

    /** A life history in JSON, the unrecorded one as its defaults (sex and age UNKNOWN, ALIVE). */
    static Map<String, Object> lifeHistory(LifeHistory recorded) {
        LifeHistory history = recorded == null ? LifeHistoryRules.unrecorded() : recorded;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("recorded", recorded != null);
        view.put("sex", history.getSex().name());
        view.put("ageClass", history.getAgeClass().name());
        view.put("ageAssessedOn", text(history.getAgeAssessedOn()));
        view.put("birthDate", text(history.getBirthDate()));
        view.put("birthDateKind", history.getBirthDateKind().name());
        view.put("motherId", history.getMotherId());
        view.put("status", history.getStatus().name());
        view.put("statusDate", text(history.getStatusDate()));
        view.put("marks", history.getMarks());
        return view;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("status", status, "error", message));
    }
}
