package org.trapline.devtools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.trapline.auth.ApiKeys;
import org.trapline.catalog.SiteCatalog;
import org.trapline.config.TraplineConfig;
import org.trapline.devtools.local.LocalStack;
import org.trapline.devtools.pipeline.FolderImport;
import org.trapline.devtools.pipeline.Pipeline;
import org.trapline.devtools.pipeline.PipelineSummary;
import org.trapline.devtools.pipeline.PopulationView;
import org.trapline.devtools.pipeline.ServiceClient;
import org.trapline.devtools.pipeline.ServiceKind;
import org.trapline.devtools.pipeline.UnmarkedView;
import org.trapline.localstack.samples.SharedData;
import org.trapline.topics.Topic;
import org.trapline.topics.TopicSetup;
import org.trapline.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: the whole pipeline on the embedded default (a real KRaft broker and schema registry as
 * processes, the four services as processes), a folder of images imported as a site, and, once the
 * pipeline is idle, the counts per site and the dashboard's address. With {@code --config} the same runs
 * against a real cluster instead of the embedded one.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "The main job: start the pipeline (on an embedded broker and registry unless --config names a "
                + "cluster), import a folder of images as a site, print the counts when the pipeline is idle.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".trapline/local",
            description = "Where the broker, the registry and the services keep their data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--config", description = "A service configuration naming a real cluster and registry: no embedded stack.")
    Path config;

    @Option(names = "--images", description = "Folder to import as a site, one camera per subfolder "
            + "(default: ../shared/images, the sample images, when present).")
    Path images;

    @Option(names = "--site", defaultValue = "samples", description = "The site the images are imported as (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--site-config", description = "A catalog file (the format of ingest.catalog.file: sites, cameras, "
            + "deployments) describing the imported site: coordinates, time zone, country, camera models, deployments "
            + "(default for the sample images: the demo's own, " + DEMO_SITE_CONFIG + ").")
    Path siteConfig;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--service-ports", defaultValue = "8082", description = "The first of four consecutive HTTP ports: "
            + "ingest, detector, identifier, aggregator (default: ${DEFAULT-VALUE}); with --config, the file's ports.")
    int servicePorts;

    @Option(names = "--export-camtrap-dp", paramLabel = "DIR", description = "Once the counts are printed, write each "
            + "site's Camtrap DP package (the aggregator's /api/sites/{site}/export/camtrap-dp) to DIR/<site>-camtrap-dp.zip.")
    Path exportDir;

    @Option(names = "--exit-when-ready", description = "Start the embedded broker and registry only, then stop (a smoke check).")
    boolean exitWhenReady;

    @Option(names = "--exit-when-done", description = "Stop everything once the counts are printed, instead of staying up.")
    boolean exitWhenDone;

    @Option(names = "--idle-timeout", defaultValue = "PT15M",
            description = "How long the pipeline may take to work through the import (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    /** The sample site's catalog entries, a resource of this module. */
    static final String DEMO_SITE_CONFIG = "/org/trapline/devtools/samples-site.json";

    /** How long a service may take to be ready (the aggregator restoring its stores) or keep answering 503. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    @Override
    public Integer call() throws Exception {
        LocalStack stack = null;
        boolean failed = false;
        Path configFile;
        if (config != null) {
            configFile = config;
            new TopicSetup(TraplineConfig.load(configFile, System.getenv())).run();
        } else {
            stack = LocalStack.start(new LocalStack.Settings(dataDir, kafkaPort, controllerPort, registryPort));
            configFile = runConfig(stack.configFile());
            System.out.printf("""

                    Trapline local stack is up.
                      Kafka bootstrap servers  %s
                      Schema registry          %s  (Confluent-compatible API: %s/apis/ccompat/v7)
                      Topics                   %s
                      Service configuration    %s
                    """, stack.bootstrapServers(), stack.registryUrl(), stack.registryUrl(),
                    String.join(", ", Topics.ALL.stream().map(Topic::name).toList()), configFile);
            if (exitWhenReady) {
                System.out.println("Stopping again (--exit-when-ready).");
                stack.close();
                return 0;
            }
        }
        TraplineConfig settings = TraplineConfig.load(configFile, System.getenv());
        Optional<Path> folder = Optional.ofNullable(images).or(RunCommand::sampleImages);
        Map<String, Path> cameras = folder.isPresent() ? FolderImport.cameras(folder.get()) : Map.of();
        FolderImport importer = new FolderImport(settings);
        if (!cameras.isEmpty()) {
            // before ingest starts: it reads the catalog when it starts
            importer.register(site, cameras, siteConfig(folder.isPresent() && isSampleImages(folder.get())));
        }
        Path logs = dataDir.resolve("logs");
        System.out.printf("%nStarting the services (logs in %s) ...%n", logs.toAbsolutePath());
        try (Pipeline pipeline = Pipeline.start(configFile, Path.of("."), logs, EnumSet.allOf(ServiceKind.class))) {
            for (ServiceKind service : ServiceKind.values()) {
                System.out.printf("  %-10s %s%n", service.serviceName(), pipeline.url(service));
            }
            if (folder.isPresent()) {
                System.out.printf("%nImporting %s as site '%s' (cameras: %s) ...%n", folder.get(), site,
                        String.join(", ", cameras.keySet()));
                List<FolderImport.CameraImport> imported = importer.run(site, cameras);
                imported.forEach(c -> System.out.printf("  %-20s %3d images, %d frames from %d clips, %d already in%s%n",
                        c.cameraId(), c.summary().images(), c.summary().framesFromClips(), c.summary().clips(),
                        c.summary().alreadyIn(), c.summary().rejected().isEmpty() ? "" : ", rejected: " + c.summary().rejected()));
            } else {
                System.out.println("\nNo images to import (no --images, and no ../shared/images beside the project).");
            }
            System.out.print("\nWaiting for the pipeline to finish its work ... ");
            long started = System.nanoTime();
            pipeline.awaitIdle(idleTimeout);
            pipeline.awaitReady(READY_TIMEOUT);
            System.out.printf("idle after %.1f s.%n%n", (System.nanoTime() - started) / 1e9);
            PipelineSummary summary = PipelineSummary.read(settings);
            summary.print(System.out);
            System.out.println();
            try {
                PopulationView.read(new ServiceClient(READY_TIMEOUT), pipeline.url(ServiceKind.AGGREGATOR), summary.sites().keySet())
                        .print(System.out);
                System.out.println();
                UnmarkedView.read(new ServiceClient(READY_TIMEOUT), pipeline.url(ServiceKind.AGGREGATOR), summary.sites())
                        .print(System.out);
            } catch (IOException e) {
                // not transient: the aggregator kept refusing for minutes; the stack stays up to be looked at
                System.out.println("The population view could not be read: " + e.getMessage());
                failed = true;
            }
            if (exportDir != null) {
                System.out.println();
                exportCamtrapDp(new ServiceClient(READY_TIMEOUT), pipeline.url(ServiceKind.AGGREGATOR), summary.sites().keySet(),
                        exportDir);
            }
            System.out.printf("%nDashboard: %s/  (distribution map: %s/map.html, an individual: %s/individual.html?id=…)%n",
                    pipeline.url(ServiceKind.AGGREGATOR), pipeline.url(ServiceKind.AGGREGATOR), pipeline.url(ServiceKind.AGGREGATOR));
            if (config == null) {
                System.out.printf("Review: %s/workbench.html  (sign in with the reviewer's key in %s)%n", pipeline.url(ServiceKind.AGGREGATOR),
                        stack.configFile().resolveSibling("reviewer.key"));
            }
            if (!exitWhenDone) {
                System.out.println("Press Ctrl-C to stop.");
                Thread.currentThread().join();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
        return failed ? 1 : 0;
    }

    /**
     * The embedded default's configuration with the services' ports, and one demography season that holds
     * every capture time unless it names seasons of its own: sample images come from many years, and a
     * population view needs a season.
     */
    private Path runConfig(Path stackConfig) throws IOException {
        TraplineConfig config = TraplineConfig.load(stackConfig, Map.of());
        StringBuilder extra = new StringBuilder("# the main job: the services' ports (--service-ports)\n");
        for (ServiceKind service : ServiceKind.values()) {  // in the order of their default ports
            extra.append(service.portKey()).append('=').append(servicePort(service)).append('\n');
        }
        // where the services find each other: the aggregator's pages show the identifier's reference crops, and a
        // photo identified with record=true goes to ingest
        extra.append("aggregator.identifier.url=http://127.0.0.1:").append(servicePort(ServiceKind.IDENTIFIER)).append('\n')
                .append("identifier.ingest.url=http://127.0.0.1:").append(servicePort(ServiceKind.INGEST)).append('\n');
        if (config.withPrefix("identifier.species.").isEmpty()) {
            // the demo's marked species: the mantas, told apart by their spots (the stand-in classifier names
            // them Chondrichthyes); every other species is unmarked, counted by events, occupancy and density
            extra.append("# the main job: the mantas are a marked species, re-identified by their spots\n")
                    .append("identifier.species.chondrichthyes.matchers=local-features\n");
        }
        if (config.find("aggregator.seasons").isEmpty()) {
            extra.append("# the main job: one season over every capture time, for the population view\n")
                    .append("aggregator.seasons=all-time\n")
                    .append("aggregator.season.all-time.period=1970-01-01T00:00:00Z/2100-01-01T00:00:00Z\n");
        }
        if (config.withPrefix("ingest.reviewer.").isEmpty()) {
            // a reviewer's key for the workbench, made once and kept beside the configuration (never printed)
            extra.append("# the main job: a reviewer of every site, for the workbench (its key: reviewer.key beside this file)\n")
                    .append("ingest.reviewer.demo.key.sha256=").append(ApiKeys.hash(reviewerKey(stackConfig))).append('\n')
                    .append("ingest.reviewer.demo.sites=*\n");
        }
        Path runConfig = stackConfig.resolveSibling("run.properties");
        Files.writeString(runConfig, Files.readString(stackConfig) + extra);
        return runConfig;
    }

    /** The demo reviewer's key: read from {@code reviewer.key} beside the stack's configuration, made there once (owner only). */
    static String reviewerKey(Path stackConfig) throws IOException {
        Path file = stackConfig.resolveSibling("reviewer.key");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        String key = ApiKeys.newKey();
        Files.writeString(file, key + "\n");
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions protect it
        }
        return key;
    }

    private int servicePort(ServiceKind service) {
        return servicePorts + service.ordinal();
    }

    /** Each site's Camtrap DP package from the aggregator, written to {@code dir}. */
    private static void exportCamtrapDp(ServiceClient http, String aggregatorUrl, java.util.Collection<String> sites, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (String site : sites) {
            Path file = dir.resolve(site + "-camtrap-dp.zip");
            Files.write(file, http.getBytes(aggregatorUrl + "/api/sites/" + ServiceClient.encode(site) + "/export/camtrap-dp"));
            System.out.printf("Camtrap DP package of site '%s': %s%n", site, file.toAbsolutePath());
        }
    }

    /**
     * The site's metadata: {@code --site-config}'s file, else for the sample images the demo's own (a site
     * in Idaho with its time zone and country, one deployment per camera), so that every page and export
     * works on the demo; else nothing (the site is registered bare).
     */
    private SiteCatalog.Contents siteConfig(boolean samples) throws IOException {
        if (siteConfig != null) {
            return FolderImport.siteConfig(siteConfig);
        }
        if (!samples || !site.equals("samples")) {
            return new SiteCatalog.Contents(null, null, null);
        }
        try (var in = RunCommand.class.getResourceAsStream(DEMO_SITE_CONFIG)) {
            Path copy = dataDir.resolve("samples-site.json");
            Files.createDirectories(dataDir);
            Files.copy(java.util.Objects.requireNonNull(in, DEMO_SITE_CONFIG), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return FolderImport.siteConfig(copy);
        }
    }

    private static boolean isSampleImages(Path folder) {
        return sampleImages().map(samples -> samples.toAbsolutePath().normalize().equals(folder.toAbsolutePath().normalize()))
                .orElse(false);
    }

    private static Optional<Path> sampleImages() {
        try {
            Path images = SharedData.locate().images();
            return Files.isDirectory(images) ? Optional.of(images) : Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
