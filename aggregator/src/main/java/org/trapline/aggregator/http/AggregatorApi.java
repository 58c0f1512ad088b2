package org.trapline.aggregator.http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trapline.aggregator.counts.CountStores;
import org.trapline.aggregator.counts.DemographySettings;
import org.trapline.aggregator.counts.Season;
import org.trapline.aggregator.counts.Windows;
import org.trapline.aggregator.export.CamtrapDpExport;
import org.trapline.aggregator.sites.SiteDirectory;
import org.trapline.catalog.Site;
import org.trapline.runtime.http.ServiceHttp;

/**
 * The aggregator's HTTP API: counts per site as JSON, answered by whichever instance is asked. A site's
 * counts live in one instance's stores (the one Kafka Streams gave the site's partition); another
 * instance finds that owner through Streams' metadata ({@code application.server}) and passes the
 * request on, so every instance answers for every site. Answers name the instance that read its stores
 * in the {@value #SERVED_BY} header.
 *
 * <table>
 * <tr><td>{@code GET /api/sites}</td><td>every site (the catalog's and those with counts), all-time counts</td></tr>
 * <tr><td>{@code GET /api/sites/{site}[?window=all|day/2026-03-14|deployment/D|session/S]}</td><td>a window's counts, by species, with effort and rates</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/days[?from=DATE&to=DATE]}</td><td>counts per day</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/activity[?species=S]}</td><td>sightings and events by hour of day</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/individuals[?window=W&species=S]}</td><td>distinct individuals and their sightings</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/estimates}</td><td>Chapman estimates of the capture sessions</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/species}</td><td>the species counted at the site, all time, with their scientific names</td></tr>
 * <tr><td>{@code GET /api/species}</td><td>every species counted (summed over the sites), and the one a page shows first</td></tr>
 * <tr><td>{@code GET /api/seasons}</td><td>the seasons demography is told for</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/demography?season=S}</td><td>the site's demography in a season, per species</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/return-rate?from=S1&to=S2}</td><td>the share of S1's individuals seen again in S2</td></tr>
 * <tr><td>{@code GET /api/distribution?species=S[&season=NAME]}</td><td>a species' detection rates site by site, naive occupancy per season</td></tr>
 * <tr><td>{@code GET /api/individuals/{id}}</td><td>an individual's profile: life history, encounters, sites, reference crops</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/sightings[?limit=20]}</td><td>recent sightings, newest first</td></tr>
 * <tr><td>{@code GET /api/sites/{site}/export/camtrap-dp[?from=&to=]}</td><td>a Camtrap DP package (zip)</td></tr>
 * </table>
 * An unknown site or individual is a 404; while Streams moves partitions between instances, a 503 with Retry-After.
 * Questions about an individual go to the instance whose individual stage holds it, in the same way.
 */
public final class AggregatorApi {

    private static final Logger log = LoggerFactory.getLogger(AggregatorApi.class);
    public static final String SERVED_BY = "X-Trapline-Served-By";
    /** Any key: readiness asks whether the owner of a key can be told at all, not of which one. */
    private static final String READINESS_PROBE = "readiness-probe";
    static final String FORWARDED = "X-Trapline-Forwarded";

    /** A question about one site (or individual), answered from the owner's stores for its partition. */
    @FunctionalInterface
    public interface LocalQuery {
        Optional<?> answer(Context ctx, String key, int partition);
    }

    /** An answer that is not JSON (an export's zip), for a {@link LocalQuery} to return. */
    public record Bytes(String contentType, String fileName, byte[] content) {
    }

    /** JSON as the API writes it: times as ISO-8601 instants. */
    public static final ObjectMapper JSON = ServiceHttp.jsonMapper();
    /** Another instance's answer about a site's species. */
    private static final TypeReference<List<SiteQueries.SiteSpecies>> SITE_SPECIES = new TypeReference<>() {
    };

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final SiteDirectory sites;
    private final CamtrapDpExport.Project project;
    private final DemographySettings demography;
    private final PrometheusMeterRegistry metrics;
    private final ObjectMapper json = JSON;
    private final HttpClient peers = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile SiteQueries queries;
    private volatile IndividualQueries individuals;
    private volatile SpeciesSurveys surveys;

    public AggregatorApi(Supplier<KafkaStreams> streams, HostInfo self, SiteDirectory sites, CamtrapDpExport.Project project,
                         DemographySettings demography, PrometheusMeterRegistry metrics) {
        this.streams = streams;
        this.self = self;
        this.sites = sites;
        this.project = project;
        this.demography = demography;
        this.metrics = metrics;
    }

    /** Set once the Streams client exists (the HTTP server starts first, to know its port). */
    public void queries(SiteQueries queries, IndividualQueries individuals, SpeciesSurveys surveys) {
        this.individuals = individuals;
        this.surveys = surveys;
        this.queries = queries;
    }

    /** The API's routes, on the service's server (whose health, readiness and metrics are every service's). */
    public void routes(Javalin app) {
        app.get("/api/sites", this::allSites);
        app.get("/api/local/sites", ctx -> available(ctx, () -> ctx.json(queries.localSites())));
        app.get("/api/sites/{site}", ctx -> site(ctx, (c, site, p) -> queries.counts(site, p, window(c))));
        app.get("/api/sites/{site}/days", ctx -> site(ctx, (c, site, p) ->
                queries.days(site, p, c.queryParam("from"), c.queryParam("to"))));
        app.get("/api/sites/{site}/activity", ctx -> site(ctx, (c, site, p) -> queries.activity(site, p, c.queryParam("species"))));
        app.get("/api/sites/{site}/individuals", ctx -> site(ctx, (c, site, p) ->
                queries.individuals(site, p, window(c), c.queryParam("species"))));
        app.get("/api/sites/{site}/estimates", ctx -> site(ctx, (c, site, p) -> queries.estimates(site, p)));
        app.get("/api/sites/{site}/sightings", ctx -> site(ctx, (c, site, p) ->
                queries.recent(site, p, Math.min(500, Math.max(1, c.queryParamAsClass("limit", Integer.class).getOrDefault(20))))));
        app.get("/api/sites/{site}/export/camtrap-dp", ctx -> site(ctx, this::camtrapDp));
        app.get("/api/sites/{site}/survey", ctx -> site(ctx, (c, site, p) -> survey(c, site, p)));
        app.get("/api/sites/{site}/detection-history.csv", ctx -> site(ctx, (c, site, p) -> survey(c, site, p)
                .map(s -> csv("detection-history-" + site + ".csv", s.history().toCsv()))));
        app.get("/api/sites/{site}/detection-effort.csv", ctx -> site(ctx, (c, site, p) -> survey(c, site, p)
                .map(s -> csv("detection-effort-" + site + ".csv", s.history().effortCsv()))));
        app.get("/api/sites/{site}/species", ctx -> site(ctx, (c, site, p) -> queries.species(site, p)));
        app.get("/api/species", this::species);
        app.get("/api/seasons", ctx -> ctx.json(demography.seasons()));
        app.get("/api/distribution", this::distribution);
        app.get("/api/individuals/{id}", ctx -> individual(ctx, (c, id, p) -> individuals.profile(id, p)));
        app.get("/api/sites/{site}/demography", ctx -> {
            Season season = season(ctx, "season");
            site(ctx, (c, site, p) -> queries.demography(site, p, season));
        });
        app.get("/api/sites/{site}/return-rate", ctx -> {
            Season first = season(ctx, "from");
            Season second = season(ctx, "to");
            if (second.start().isBefore(first.end())) {
                throw new BadRequest("season '" + second.name() + "' must start after season '" + first.name() + "' ends");
            }
            site(ctx, (c, site, p) -> queries.returnRate(site, p, first, second));
        });
        app.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(CamtrapDpExport.NotExportable.class, (e, ctx) -> error(ctx, 422, e.getMessage()));
        app.exception(DateTimeParseException.class, (e, ctx) -> error(ctx, 400, "not an ISO-8601 date or instant: '"
                + e.getParsedString() + "'"));
    }

    /** A request the client got wrong; answered 400 with the message. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    private static String window(Context ctx) {
        String window = ctx.queryParam("window");
        if (window == null || window.isBlank()) {
            return "all";
        }
        if (!window.equals("all") && !window.matches("(day/\\d{4}-\\d{2}-\\d{2}|deployment/.+|session/.+|season/.+)")) {
            throw new BadRequest("window is all, day/YYYY-MM-DD, deployment/ID, session/NAME or season/NAME, not '" + window + "'");
        }
        return window;
    }

    /** The configured season a query parameter names. */
    private Season season(Context ctx, String parameter) {
        String name = ctx.queryParam(parameter);
        return demography.season(name == null ? "" : name).orElseThrow(() -> new BadRequest((name == null || name.isBlank()
                ? "no " + parameter + " given" : "no season '" + name + "'") + ": the seasons are "
                + demography.seasons().stream().map(Season::name).toList() + " (aggregator.seasons)"));
    }

    /** The site's sightings in {@code [from, to)} as a Camtrap DP package (zip). */
    private Optional<?> camtrapDp(Context ctx, String site, int partition) {
        if (!queries.known(site, partition)) {
            return Optional.empty();
        }
        ZoneId zone = sites.zone(site);
        Instant from = instant(ctx.queryParam("from"), zone);
        Instant to = instant(ctx.queryParam("to"), zone);
        Site known = sites.site(site).orElseThrow(() -> new CamtrapDpExport.NotExportable("site '" + site
                + "' is not in the catalog: Camtrap DP requires its deployments and their coordinates"));
        Instant now = Instant.now();
        CamtrapDpExport.Package pkg = CamtrapDpExport.export(known, sites.deployments(site), sites::camera,
                f -> sites.deploymentAt(f.cameraId(), Instant.ofEpochMilli(f.time())),
                queries.sightings(site, partition, from, to),
                new CamtrapDpExport.Gallery(id -> queries.profile(site, partition, id), demography.ages()), from, to, now, project);
        return Optional.of(new Bytes("application/zip", "camtrap-dp-" + site + ".zip", pkg.zip()));
    }

    /**
     * A species surveyed at the site: {@code species} (label or scientific name), {@code from}, {@code to} (dates or
     * instants), {@code occasion} (an ISO-8601 duration, {@code P1D} by default), {@code unit} (camera or site).
     */
    private Optional<SpeciesSurveys.Survey> survey(Context ctx, String site, int partition) {
        String species = ctx.queryParam("species");
        if (species == null || species.isBlank()) {
            throw new BadRequest("no species given: ?species=NAME (its label or scientific name)[&occasion=P1D&from=&to=&unit=camera]");
        }
        ZoneId zone = sites.zone(site);
        Duration occasion;
        try {
            occasion = Duration.parse(Optional.ofNullable(ctx.queryParam("occasion")).orElse("P1D"));
        } catch (DateTimeParseException e) {
            throw new BadRequest("occasion is an ISO-8601 duration such as P1D or P7D, not '" + ctx.queryParam("occasion") + "'");
        }
        String unit = Optional.ofNullable(ctx.queryParam("unit")).orElse("camera").toUpperCase(java.util.Locale.ROOT);
        if (!unit.equals("CAMERA") && !unit.equals("SITE")) {
            throw new BadRequest("unit is camera or site, not '" + ctx.queryParam("unit") + "'");
        }
        try {
            return surveys.survey(site, partition, species, instant(ctx.queryParam("from"), zone), instant(ctx.queryParam("to"), zone),
                    occasion, org.trapline.aggregator.estimate.DetectionHistory.Unit.valueOf(unit));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static Bytes csv(String fileName, String text) {
        return new Bytes("text/csv; charset=utf-8", fileName, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An ISO-8601 instant, or a date meaning its start in the site's zone; null when not given. */
    static Instant instant(String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(zone).toInstant() : Instant.parse(value);
    }

    /** Answers a question about the site in the path: here when this instance owns it, else from the owner. */
    public void site(Context ctx, LocalQuery query) {
        String site = ctx.pathParam("site");
        owned(ctx, CountStores.TALLIES, site, query,
                "no site '" + site + "': the catalog does not name it and no sighting was counted there");
    }

    /** Answers a question about the individual in the path, from the instance whose individual stage holds it. */
    private void individual(Context ctx, LocalQuery query) {
        String id = ctx.pathParam("id");
        owned(ctx, CountStores.INDIVIDUALS, id, query,
                "no individual '" + id + "': neither the gallery nor any counted sighting names it");
    }

    /**
     * Answers a question about {@code key} from the stores that hold it (partitioned by that key): here when
     * this instance owns its partition, else from the owner.
     */
    private void owned(Context ctx, String store, String key, LocalQuery query, String unknown) {
        available(ctx, () -> {
            KeyQueryMetadata owner = owner(store, key);
            if (owner == null) {
                unavailable(ctx, "'" + key + "' is moving between aggregator instances");
            } else if (owner.activeHost().equals(self)) {
                Optional<?> answer = query.answer(ctx, key, owner.partition());
                count("local");
                ctx.header(SERVED_BY, self.host() + ":" + self.port());
                if (answer.isEmpty()) {
                    error(ctx, 404, unknown);
                } else if (answer.get() instanceof Bytes bytes) {
                    ctx.contentType(bytes.contentType()).header("Content-Disposition",
                            "attachment; filename=\"" + bytes.fileName() + "\"").result(bytes.content());
                } else {
                    ctx.json(answer.get());
                }
            } else if (ctx.header(FORWARDED) != null) {
                // the instance that sent it here thought this one was the owner: they disagree for a moment
                unavailable(ctx, "the owner of '" + key + "' changed while the request was passed on");
            } else {
                forward(ctx, owner.activeHost());
            }
        });
    }

    /**
     * Ready means that questions get answers: Streams is running (its tasks restored) and the owner of a key
     * is known for the site and the individual stores. Running alone is not enough: just after a restart or
     * a rebalance the metadata can lag the state, and every question would answer 503 for a moment.
     */
    public boolean queryable() {
        KafkaStreams s = streams.get();
        if (s == null || queries == null || s.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        return owner(CountStores.TALLIES, READINESS_PROBE) != null && owner(CountStores.INDIVIDUALS, READINESS_PROBE) != null;
    }

    private KeyQueryMetadata owner(String store, String key) {
        KafkaStreams s = streams.get();
        KeyQueryMetadata owner = s == null ? null
                : s.queryMetadataForKey(store, key, Serdes.String().serializer());
        return owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) ? null : owner;
    }

    private void forward(Context ctx, HostInfo owner) throws IOException, InterruptedException {
        String query = ctx.queryString();
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + ctx.path() + (query == null ? "" : "?" + query));
        HttpResponse<byte[]> answer = peers.send(HttpRequest.newBuilder(uri).header(FORWARDED, self.host() + ":" + self.port())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        count("forwarded");
        ctx.status(answer.statusCode());
        for (String header : List.of("Content-Type", "Content-Disposition", SERVED_BY, "Retry-After")) {
            answer.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
        }
        ctx.result(answer.body());
    }

    /** Every site the catalog names or any instance has counts for, with its all-time counts. */
    private void allSites(Context ctx) {
        available(ctx, () -> ctx.json(allSitesNow()));
    }

    /** Every species counted, with its scientific name and counts over the sites, and the one to show first. */
    private void species(Context ctx) {
        available(ctx, () -> ctx.json(SpeciesList.of(everySite(queries::species, "/species",
                answer -> json.convertValue(answer, SITE_SPECIES)))));
    }

    /** A species' detections site by site in a window, and its naive occupancy in every window (see {@link Distribution}). */
    private void distribution(Context ctx) {
        String species = ctx.queryParam("species");
        if (species == null || species.isBlank()) {
            throw new BadRequest("no species given: /api/distribution?species=NAME[&season=NAME]");
        }
        Season chosen = ctx.queryParam("season") == null || ctx.queryParam("season").isBlank() ? null : season(ctx, "season");
        available(ctx, () -> {
            List<Distribution.Occupancy> occupancy = new ArrayList<>();
            List<Distribution.SitePoint> shown = null;
            List<Season> all = new ArrayList<>();
            all.add(null);
            all.addAll(demography.seasons());
            for (Season season : all) {
                String window = season == null ? Windows.ALL : Windows.season(season);
                List<Distribution.SitePoint> points = Distribution.points(species, sitesNow(window), sites);
                occupancy.add(Distribution.occupancy(window, season == null ? null : season.name(),
                        season == null ? null : season.start(), season == null ? null : season.end(), points));
                if (Objects.equals(season, chosen)) {
                    shown = points;
                }
            }
            ctx.json(new Distribution.Answer(species, chosen == null ? Windows.ALL : Windows.season(chosen), shown, occupancy));
        });
    }

    /**
     * Every site's all-time counts, from whichever instance owns each; fails (an
     * {@link InvalidStateStoreException} or an {@link IOException}) while they cannot all be read.
     */
    public List<JsonNode> allSitesNow() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        for (SiteQueries.WindowCounts counts : sitesNow(Windows.ALL)) {
            all.add(json.valueToTree(counts));
        }
        return all;
    }

    /**
     * Every site's counts in a window (the catalog's sites and any with counts), from whichever instance owns
     * each; fails while they cannot all be read.
     */
    private List<SiteQueries.WindowCounts> sitesNow(String window) throws IOException, InterruptedException {
        return everySite((id, partition) -> queries.counts(id, partition, window),
                "?window=" + encode(window), answer -> json.treeToValue(answer, SiteQueries.WindowCounts.class));
    }

    /** A question about one site answered from this instance's stores for the site's partition. */
    @FunctionalInterface
    private interface SiteQuery<T> {
        Optional<T> answer(String site, int partition);
    }

    /** How another instance's JSON answer reads. */
    @FunctionalInterface
    private interface Reading<T> {
        T read(JsonNode answer) throws IOException;
    }

    /**
     * Every site's answer to a question (the catalog's sites and any with counts): here for the sites this
     * instance owns, else from the owner at {@code /api/sites/{site}} + {@code path}; fails while they
     * cannot all be read.
     */
    private <T> List<T> everySite(SiteQuery<T> local, String path, Reading<T> remote) throws IOException, InterruptedException {
        if (queries == null) {
            throw new InvalidStateStoreException("the aggregator is starting");
        }
        Set<String> ids = new TreeSet<>();
        sites.sites().stream().map(Site::id).forEach(ids::add);
        KafkaStreams s = streams.get();
        for (StreamsMetadata instance : s.metadataForAllStreamsClients()) {
            if (instance.hostInfo().equals(self)) {
                ids.addAll(queries.localSites());
            } else {
                fetch(instance.hostInfo(), "/api/local/sites").forEach(id -> ids.add(id.asText()));
            }
        }
        List<T> all = new ArrayList<>();
        for (String id : ids) {
            KeyQueryMetadata owner = owner(CountStores.TALLIES, id);
            if (owner == null) {
                throw new InvalidStateStoreException("sites are moving between aggregator instances");
            }
            if (owner.activeHost().equals(self)) {
                local.answer(id, owner.partition()).ifPresent(all::add);
            } else {
                all.add(remote.read(fetch(owner.activeHost(), "/api/sites/" + encode(id) + path)));
            }
        }
        return all;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode fetch(HostInfo host, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = peers.send(HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
                .header(FORWARDED, self.host() + ":" + self.port()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new InvalidStateStoreException("instance " + host + " answered " + answer.statusCode() + " for " + path);
        }
        return json.readTree(answer.body());
    }

    @FunctionalInterface
    private interface Answer {
        void run() throws IOException, InterruptedException;
    }

    /** Runs an answer; stores that are being restored or moved make it a 503 to retry. */
    private void available(Context ctx, Answer answer) {
        if (queries == null) {
            unavailable(ctx, "the aggregator is starting");
            return;
        }
        try {
            answer.run();
        } catch (InvalidStateStoreException e) {
            unavailable(ctx, "counts are not readable right now (" + e.getMessage() + ")");
        } catch (IOException e) {
            log.warn("another aggregator instance did not answer: {}", e.toString());
            unavailable(ctx, "another aggregator instance did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(ctx, "interrupted");
        }
    }

    private void unavailable(Context ctx, String why) {
        count("unavailable");
        ctx.header("Retry-After", "1");
        error(ctx, 503, why + "; try again in a moment");
    }

    private static void error(Context ctx, int status, String message) {
        ServiceHttp.error(ctx, status, message);
    }

    /** Whether a Streams client works: not yet made, or in any state but a failed or stopped one. */
    public static boolean working(KafkaStreams streams) {
        return streams == null || streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.NOT_RUNNING
                && streams.state() != KafkaStreams.State.PENDING_ERROR;
    }

    /** A Streams client's state as health reports it; STARTING until it is made. */
    public static String state(KafkaStreams streams) {
        return streams == null ? "STARTING" : streams.state().name();
    }

    private void count(String outcome) {
        Counter.builder("trapline.aggregator.queries").tag("outcome", outcome)
                .description("HTTP questions about sites, by how they were answered").register(metrics).increment();
    }

    /**
     * The server's dashboard page at {@code /} and the WebJars it uses; the API's routes are added once the service is
     * made (the server starts first so that Streams can be told its port).
     */
    public static void dashboard(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
        });
        config.staticFiles.enableWebjars();
    }
}
