package org.trapline.deploy;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.trapline.aggregator.AggregatorService;
import org.trapline.config.TraplineConfig;
import org.trapline.deploy.identify.IdentifyPhotos;
import org.trapline.detector.DetectorService;
import org.trapline.identifier.IdentifierService;
import org.trapline.detector.DetectorSettings;
import org.trapline.detector.export.MegaDetectorExport;
import org.trapline.ingest.IngestService;
import org.trapline.auth.ApiKeys;
import org.trapline.runtime.lifecycle.ServiceMain;
import org.trapline.ingest.cli.ImportCommand;
import org.trapline.topics.Topic;
import org.trapline.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The services' {@code trapline} command: the entry point of the service image. A checkout's {@code ./trapline}
 * adds the developer's commands ({@code run}, {@code bench}: devtools' {@code DevTrapline}), which need a local
 * broker and registry that no image carries.
 */
@Command(name = "trapline", mixinStandardHelpOptions = true, version = "Trapline 0.1.0",
        description = "Camera-trap images to sightings and population counts, live, on Apache Kafka.",
        subcommands = {Trapline.Ingest.class, Trapline.Detect.class, Trapline.Identify.class,
                Trapline.Aggregate.class, ImportCommand.class,
                Trapline.Export.class, Trapline.ApiKey.class})
public final class Trapline {

    /** Where a service command takes its configuration from. */
    static class ServiceOptions {
        @Option(names = "--config", defaultValue = ".trapline/local/trapline.properties",
                description = "Configuration file (default: ${DEFAULT-VALUE}, written by 'trapline run'), "
                        + "overridden by TRAPLINE_* variables.")
        Path config;

        TraplineConfig load() {
            return TraplineConfig.load(config, System.getenv());
        }
    }

    /** Runs a started service until Ctrl-C, as every service's main does. */
    static int serveUntilStopped(AutoCloseable service, String what) throws InterruptedException {
        System.out.printf("%s running (Ctrl-C to stop).%n", what);
        ServiceMain.serveUntilStopped(what, service);
        return 0;
    }

    /** The ingest service on its own, for a real cluster or beside a running local stack. */
    @Command(name = "ingest", mixinStandardHelpOptions = true, description = "Run the ingest service (the gateway HTTP API).")
    static final class Ingest extends ServiceOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            IngestService service = IngestService.start(load());
            return serveUntilStopped(service, "Ingest on port " + service.port());
        }
    }

    /** The detector service on its own. */
    @Command(name = "detect", mixinStandardHelpOptions = true,
            description = "Run the detector service (a detection network on every frame).")
    static final class Detect extends ServiceOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            DetectorService service = DetectorService.start(load());
            return serveUntilStopped(service, "Detector on port " + service.port());
        }
    }

    /**
     * Without photos, the identifier service on its own; with photos, a question to a running identifier: who is
     * on each (POST /api/identify, nothing recorded), answered as a ranked table.
     */
    @Command(name = "identify", mixinStandardHelpOptions = true,
            description = {"Without PHOTO: run the identifier service (individuals matched against the gallery, the review API).",
                    "With PHOTO…: ask a running identifier who is on each photo and print the ranked candidates; nothing is recorded."})
    static final class Identify extends ServiceOptions implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "PHOTO", description = "JPEG or PNG photos to identify.")
        List<Path> photos = List.of();

        @Option(names = "--url", defaultValue = "http://127.0.0.1:8084",
                description = "The identifier to ask (default: ${DEFAULT-VALUE}, the local stack's).")
        URI url;

        @Option(names = "--species", description = "The species the animal is (default: every species of the gallery).")
        String species;

        @Option(names = "--site", description = "Where the photo was taken: the matchers that decide there decide.")
        String site;

        @Option(names = "--box", description = "The animal's box, x,y,w,h normalised (default: the whole photo).")
        String box;

        @Option(names = "--top", defaultValue = "5", description = "How many candidates (default: ${DEFAULT-VALUE}).")
        int top;

        IdentifyPhotos.Request request() {
            return new IdentifyPhotos.Request(url, species, site, box, top);
        }

        @Override
        public Integer call() throws Exception {
            if (!photos.isEmpty()) {
                return new IdentifyPhotos().run(request(), photos, new PrintWriter(System.out, true),
                        new PrintWriter(System.err, true));
            }
            IdentifierService service = IdentifierService.start(load());
            return serveUntilStopped(service, "Identifier on port " + service.port());
        }
    }

    /** The aggregator service on its own: live counts per site, their HTTP API and dashboard. */
    @Command(name = "aggregate", mixinStandardHelpOptions = true,
            description = "Run the aggregator service (live counts per site, HTTP API, dashboard).")
    static final class Aggregate extends ServiceOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            AggregatorService service = AggregatorService.start(load());
            return serveUntilStopped(service, "Aggregator on port " + service.port());
        }
    }

    /** Results for other tools. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export results for other tools.",
            subcommands = {ExportMegaDetector.class})
    static final class Export {
    }

    /** The detector's results for a site and period as MegaDetector batch output (format 1.4), for Timelapse. */
    @Command(name = "megadetector", mixinStandardHelpOptions = true,
            description = "Detections of a site (and period) as MegaDetector batch output JSON, e.g. for Timelapse.")
    static final class ExportMegaDetector extends ServiceOptions implements Callable<Integer> {

        @Option(names = "--site", required = true, description = "The site.")
        String site;

        @Option(names = "--from", description = "Capture times from this instant (ISO-8601), inclusive.")
        java.time.Instant from;

        @Option(names = "--to", description = "Capture times before this instant (ISO-8601).")
        java.time.Instant to;

        @Option(names = "--out", description = "File to write (default: standard output).")
        Path out;

        @Override
        public Integer call() throws Exception {
            TraplineConfig config = load();
            var export = MegaDetectorExport.export(config, new MegaDetectorExport.Query(site, from, to),
                    DetectorSettings.fromConfig(config).thresholds().get(org.trapline.schema.DetectionCategory.ANIMAL));
            var json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter();
            if (out == null) {
                System.out.println(json.writeValueAsString(export));
            } else {
                json.writeValue(out.toFile(), export);
                System.err.printf("%d images written to %s%n", ((java.util.List<?>) export.get("images")).size(), out);
            }
            return 0;
        }
    }

    /** A new API key for a gateway, a reviewer or an operator, and the hash that goes into the configuration. */
    @Command(name = "api-key", mixinStandardHelpOptions = true,
            description = "Make a new API key for a gateway, a reviewer or an operator; configure its hash, hand out the key.")
    static final class ApiKey implements Callable<Integer> {

        @picocli.CommandLine.Parameters(index = "0", description = "Name of the gateway, reviewer or operator, e.g. north.")
        String name;

        @Option(names = "--cameras", split = ",", description = "Cameras the gateway may speak for.")
        java.util.List<String> cameras = java.util.List.of();

        @Option(names = "--reviewer", split = ",", paramLabel = "SITE",
                description = "A reviewer's key: corrects the networks' answers at these sites (* for every site); sends no frames.")
        java.util.List<String> reviewerSites = java.util.List.of();

        @Option(names = "--operator", description = "An operator's key: every camera, every site's review, and the site catalog.")
        boolean operator;

        @Override
        public Integer call() {
            if (operator && !reviewerSites.isEmpty()) {
                System.err.println("a key is an operator's or a reviewer's, not both (an operator reviews every site already)");
                return 2;
            }
            String key = ApiKeys.newKey();
            String prefix = (operator ? "ingest.operator." : !reviewerSites.isEmpty() ? "ingest.reviewer." : "ingest.gateway.") + name;
            System.out.printf("key (give it to %s, it is shown once): %s%n%n", name, key);
            System.out.printf("configuration:%n%s.key.sha256=%s%n", prefix, ApiKeys.hash(key));
            if (!reviewerSites.isEmpty()) {
                System.out.printf("%s.sites=%s%n", prefix, String.join(",", reviewerSites));
            } else if (!operator) {
                System.out.printf("%s.cameras=%s%n", prefix, String.join(",", cameras));
            }
            return 0;
        }
    }

    /** The command line of the service commands, for this entry point and for the developer's, which adds to it. */
    public static CommandLine commandLine() {
        return new CommandLine(new Trapline());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
