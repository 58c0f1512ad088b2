package org.trapline.deploy.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.trapline.config.TraplineConfig;

/**
 * Checks deploy/compose/compose.yaml as Docker Compose reads it (merge keys, ${VAR:-default}) and against the
 * code: the broker and the registry at the versions the tests run, the four services with their configuration
 * file read as the services read it, their ports, health checks, volumes and dependencies.
 */
final class ComposeChecks {

    static final String FILE = "compose/compose.yaml";
    private static final Set<String> TOP_LEVEL = Set.of("name", "services", "volumes", "networks", "configs", "secrets");
    private static final Set<String> SERVICE_FIELDS = Set.of("image", "command", "entrypoint", "environment", "env_file", "ports",
            "volumes", "depends_on", "healthcheck", "restart", "hostname", "user", "read_only", "tmpfs", "deploy", "networks",
            "container_name", "labels", "build", "working_dir", "stop_grace_period", "ulimits", "logging", "cpus", "mem_limit",
            "shm_size", "extra_hosts", "profiles", "init", "security_opt", "cap_drop", "cap_add", "expose", "stop_signal");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final DeployFiles files;
    private final Project project = Project.get();
    private final List<String> problems = new ArrayList<>();
    private JsonNode services;

    /** A mount of a service: a named volume, a bind mount or a tmpfs. */
    record Mount(String source, String target, boolean readOnly, String type, String options) {
    }

    record Deployed(String name, Project.Service service, TraplineConfig config, List<Mount> mounts) {
    }

    private ComposeChecks(DeployFiles files) {
        this.files = files;
    }

    static List<String> check(DeployFiles files) {
        ComposeChecks checks = new ComposeChecks(files);
        checks.run();
        return checks.problems;
    }

    private void problem(String message) {
        problems.add(message);
    }

    /** Compose's interpolation, with the variables unset: ${X:-default} is the default. */
    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void run() {
        Optional<String> text = files.find(FILE);
        if (text.isEmpty()) {
            problem(FILE + " is missing");
            return;
        }
        List<JsonNode> docs = Yaml.documents(FILE, text.get());
        if (docs.size() != 1) {
            problem(FILE + ": one document expected, found " + docs.size());
            return;
        }
        JsonNode compose = docs.get(0);
        compose.fieldNames().forEachRemaining(f -> {
            if (!TOP_LEVEL.contains(f) && !f.startsWith("x-")) {
                problem(FILE + ": unknown top-level field " + f);
            }
        });
        services = compose.path("services");
        services.fieldNames().forEachRemaining(name -> services.get(name).fieldNames().forEachRemaining(f -> {
            if (!SERVICE_FIELDS.contains(f) && !f.startsWith("x-")) {
                problem(FILE + ": service " + name + ": unknown field " + f);
            }
        }));
        Set<String> declaredVolumes = new TreeSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declaredVolumes::add);

        JsonNode kafka = services.path("kafka");
        JsonNode registry = services.path("registry");
        if (kafka.isMissingNode() || registry.isMissingNode()) {
            problem(FILE + ": services kafka and registry expected, found " + names(services));
            return;
        }
        String kafkaImage = "apache/kafka:" + project.pomProperty("kafka.version");
        if (!kafkaImage.equals(text(kafka, "image"))) {
            problem(FILE + ": kafka runs " + text(kafka, "image") + ", Trapline's clients and tests run " + kafkaImage);
        }
        String registryImage = KubernetesChecks.REGISTRY_IMAGE + ":" + project.pomProperty("apicurio.registry.version");
        if (!registryImage.equals(text(registry, "image"))) {
            problem(FILE + ": registry runs " + text(registry, "image") + ", Trapline's tests run " + registryImage);
        }
        Map<String, String> kafkaEnv = environment("kafka", kafka);
        Map<String, String> registryEnv = environment("registry", registry);
        for (String setting : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            if (!"1".equals(kafkaEnv.get(setting))) {
                problem(FILE + ": kafka is one node: " + setting + " must be 1 (the default, 3, leaves groups or transactions"
                        + " without a coordinator), is " + kafkaEnv.get(setting));
            }
        }
        if (!Set.of("kafkasql", "sql").contains(registryEnv.getOrDefault("APICURIO_STORAGE_KIND", ""))) {
            problem(FILE + ": registry storage is " + registryEnv.getOrDefault("APICURIO_STORAGE_KIND", "in memory")
                    + ": the schema ids records carry would be lost at its restart");
        }
        for (String name : List.of("kafka", "registry")) {
            if (services.path(name).path("healthcheck").isMissingNode()) {
                problem(FILE + ": " + name + " has no healthcheck, so nothing can wait for it to be healthy");
            }
        }

        List<Deployed> deployed = new ArrayList<>();
        for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            service(name, services.get(name)).ifPresent(deployed::add);
        }
        for (Project.Service service : Project.Service.values()) {
            List<String> running = deployed.stream().filter(d -> d.service() == service).map(Deployed::name).toList();
            if (running.size() != 1) {
                problem(FILE + ": the " + service.prefix + " service (trapline " + service.command + ") should run once, runs in " + running);
            }
        }
        if (deployed.isEmpty()) {
            return;
        }
        TraplineConfig shared = deployed.get(0).config();
        String bootstrap = shared.get(TraplineConfig.BOOTSTRAP_SERVERS, "");
        String advertised = kafkaEnv.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
        if (!bootstrap.startsWith("kafka:") || !advertised.contains("://" + bootstrap)) {
            problem(FILE + ": kafka.bootstrap.servers is " + bootstrap + ", which kafka does not advertise (" + advertised + ")");
        }
        if (shared.getInt(TraplineConfig.REPLICATION_FACTOR, 1) != 1) {
            problem(FILE + ": topics.replication.factor is " + shared.get(TraplineConfig.REPLICATION_FACTOR, "") + " with one broker: TopicSetup would fail");
        }
        if ("kafkasql".equals(registryEnv.get("APICURIO_STORAGE_KIND")) && !bootstrap.equals(registryEnv.get("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS"))) {
            problem(FILE + ": the registry keeps its data on " + registryEnv.get("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS") + ", the services use " + bootstrap);
        }
        if (!shared.get(TraplineConfig.REGISTRY_URL, "").replaceFirst("/$", "").equals("http://registry:8080")) {
            problem(FILE + ": registry.url is " + shared.get(TraplineConfig.REGISTRY_URL, "") + ", the registry answers at http://registry:8080");
        }
        volumes(deployed, declaredVolumes);
    }

    private Optional<Deployed> service(String name, JsonNode s) {
        String where = FILE + ": " + name;
        String image = interpolate(text(s, "image"));
        if (!image.replaceFirst(":[^/:]*$", "").equals(project.imageRepository())) {
            return Optional.empty();
        }
        List<String> args = list(s.path("command"));
        Project.Service service = args.isEmpty() ? null : Project.Service.byCommand(args.get(0));
        if (service == null) {
            if (!s.has("entrypoint")) {
                problem(where + ": runs trapline " + args + ", which starts none of the services");
            }
            return Optional.empty();
        }
        if (!Project.serviceCommands().contains(service.command) && !Project.ANNOUNCED_COMMANDS.contains(service.command)) {
            problem(where + ": trapline has no subcommand '" + service.command + "' with --config");
        }
        List<Mount> mounts = mounts(s);
        int at = args.indexOf("--config");
        if (at < 0 || at + 1 >= args.size()) {
            problem(where + ": no --config FILE argument");
            return Optional.empty();
        }
        String configPath = args.get(at + 1);
        Optional<Mount> configMount = mounts.stream().filter(m -> m.type().equals("bind") && m.target().equals(configPath)).findFirst();
        Optional<String> configText = configMount.flatMap(m -> files.find("compose/" + m.source()));
        if (configText.isEmpty()) {
            problem(where + ": --config " + configPath + " is no file of deploy/compose mounted into the container");
            return Optional.empty();
        }
        Map<String, String> file = Project.properties(configText.get());
        Map<String, String> environment = environment(name, s);
        TraplineConfig config = Project.effective(file, environment);
        file.keySet().forEach(key -> knownKey(where + ": " + configMount.get().source() + " sets", key));
        environment.keySet().stream().filter(v -> v.startsWith(TraplineConfig.ENV_PREFIX))
                .forEach(v -> knownKey(where + ": variable " + v + " sets", Project.effective(Map.of(), Map.of(v, "x")).asMap().keySet().iterator().next()));

        if (!"0.0.0.0".equals(config.get(service.hostKey(), "127.0.0.1"))) {
            problem(where + ": " + service.hostKey() + " is " + config.get(service.hostKey(), "127.0.0.1 (the default)")
                    + ": the service would be out of reach of other containers and of the host");
        }
        int port = service.port(config);
        List<String> ports = list(s.path("ports"));
        if (ports.stream().map(p -> p.replaceFirst("/(tcp|udp)$", "").replaceFirst(".*:", "")).noneMatch(p -> p.equals(String.valueOf(port)))) {
            problem(where + ": " + service.portKey() + " is " + port + " but its ports " + ports + " publish no such container port");
        }
        String health = String.join(" ", list(s.path("healthcheck").path("test")));
        if (!health.contains("/health") || !Pattern.compile("[/:]" + port + "\\b").matcher(health).find()) {
            problem(where + ": the healthcheck '" + health + "' should ask /health on port " + port);
        }
        for (String dependency : List.of("kafka", "registry")) {
            if (!"service_healthy".equals(s.path("depends_on").path(dependency).path("condition").asText())) {
                problem(where + ": should wait for " + dependency + " to be healthy (depends_on: condition: service_healthy)");
            }
        }
        if (service == Project.Service.IDENTIFIER && s.path("deploy").path("replicas").asInt(1) != 1) {
            problem(where + ": the identifier must run as ONE instance (it owns the gallery)");
        }
        if (service == Project.Service.AGGREGATOR && !config.get("aggregator.advertised.host", "").equals(name)) {
            problem(where + ": aggregator.advertised.host is '" + config.get("aggregator.advertised.host", "")
                    + "', the name other containers reach it by is " + name);
        }
        paths(where, service, config, mounts, s.path("read_only").asBoolean(false));
        return Optional.of(new Deployed(name, service, config, mounts));
    }

    private void knownKey(String where, String key) {
        if (!project.knowsKey(key)) {
            problem(where + " '" + key + "', which no code of the project reads");
        }
    }

    private static Optional<Mount> mountOf(List<Mount> mounts, String path) {
        return mounts.stream().filter(m -> path.equals(m.target()) || path.startsWith(m.target() + "/"))
                .max((a, b) -> Integer.compare(a.target().length(), b.target().length()));
    }

    private void paths(String where, Project.Service service, TraplineConfig config, List<Mount> mounts, boolean readOnlyRoot) {
        // the image unpacks native libraries under /tmp (java.io.tmpdir, JavaCPP's and DJL's caches) and loads them from there;
        // Docker mounts a tmpfs noexec and 64 MB unless told otherwise
        mountOf(mounts, "/tmp/javacpp").filter(m -> m.type().equals("tmpfs")).ifPresent(m -> {
            if (!List.of(m.options().split(",")).contains("exec") || !m.options().contains("size=")) {
                problem(where + ": the tmpfs at " + m.target() + " needs exec and a size (native libraries load from it), has '" + m.options() + "'");
            }
        });
        if (readOnlyRoot && mountOf(mounts, "/tmp/javacpp").isEmpty()) {
            problem(where + ": the root file system is read-only and /tmp, where native libraries unpack, is on no volume");
        }
        String dataDir = config.dataDir().toString();
        Optional<Mount> data = mountOf(mounts, dataDir);
        if (readOnlyRoot && (data.isEmpty() || data.get().readOnly())) {
            problem(where + ": data.dir " + dataDir + " is on no writable volume (the root file system is read-only)");
        }
        if (service == Project.Service.AGGREGATOR && (data.isEmpty() || !data.get().type().equals("volume"))) {
            problem(where + ": data.dir " + dataDir + " (the state stores) should be a named volume, kept across restarts");
        }
        if (service == Project.Service.DETECTOR || service == Project.Service.IDENTIFIER) {
            List<String> models = new ArrayList<>(List.of(config.get("models.dir", "../shared/models")));
            config.find(service == Project.Service.DETECTOR ? "detector.model.path" : "identifier.embedding.model.path").ifPresent(models::add);
            if (service == Project.Service.DETECTOR) {
                config.find("species.model.path").ifPresent(models::add);
                config.find("species.labels.path").ifPresent(models::add);
            }
            for (String path : models) {
                if (mountOf(mounts, path).isEmpty()) {
                    problem(where + ": the models at " + path + " lie on no volume (models are never in the image)");
                }
            }
        }
    }

    /** ingest, the detector and the identifier share one blobs volume; ingest, the aggregator and the detector one catalog. */
    private void volumes(List<Deployed> deployed, Set<String> declared) {
        Map<String, String> blobVolumes = new TreeMap<>();
        Map<String, String> catalogVolumes = new TreeMap<>();
        for (Deployed d : deployed) {
            for (Mount m : d.mounts()) {
                if (m.type().equals("volume") && !declared.contains(m.source())) {
                    problem(FILE + ": " + d.name() + " mounts volume " + m.source() + ", which the top-level volumes do not declare");
                }
            }
            if (d.service() != Project.Service.AGGREGATOR && d.config().get("blob.store", "fs").equals("fs")) {
                String blobs = d.config().find("blob.fs.dir").orElse(d.config().dataDir().resolve("blobs").toString());
                Optional<Mount> m = mountOf(d.mounts(), blobs);
                if (m.isEmpty() || !m.get().type().equals("volume") || m.get().readOnly()) {
                    problem(FILE + ": " + d.name() + ": blob.fs.dir " + blobs + " is on no writable named volume");
                } else {
                    blobVolumes.put(d.name(), m.get().source());
                }
            }
            if (d.service() == Project.Service.INGEST || d.service() == Project.Service.AGGREGATOR || d.service() == Project.Service.DETECTOR) {
                String catalog = KubernetesChecks.catalogFile(d.service(), d.config());
                Optional<Mount> m = mountOf(d.mounts(), catalog);
                if (m.isEmpty() || !m.get().type().equals("volume") || (d.service() == Project.Service.INGEST && m.get().readOnly())) {
                    problem(FILE + ": " + d.name() + ": the site catalog " + catalog + " is on no named volume"
                            + (d.service() == Project.Service.INGEST ? " ingest can write" : ""));
                } else {
                    catalogVolumes.put(d.name(), m.get().source());
                }
            }
        }
        if (new TreeSet<>(blobVolumes.values()).size() > 1) {
            problem(FILE + ": the services keep blobs on different volumes " + blobVolumes + ": a frame ingest stored would be missing for the detector");
        }
        if (new TreeSet<>(catalogVolumes.values()).size() > 1) {
            problem(FILE + ": ingest, the aggregator and the detector read different site catalogs " + catalogVolumes);
        }
    }

    private List<Mount> mounts(JsonNode s) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode v : s.path("volumes")) {
            if (v.isTextual()) {
                String[] parts = interpolate(v.asText()).split(":");
                if (parts.length < 2) {
                    continue;
                }
                boolean named = parts[0].matches("[A-Za-z0-9][A-Za-z0-9_.-]*");
                mounts.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro"), named ? "volume" : "bind",
                        parts.length > 2 ? parts[2] : ""));
            } else {
                mounts.add(new Mount(interpolate(v.path("source").asText()), v.path("target").asText(), v.path("read_only").asBoolean(false),
                        v.path("type").asText("volume"), ""));
            }
        }
        for (String tmpfs : list(s.path("tmpfs"))) {
            String[] parts = tmpfs.split(":", 2);
            mounts.add(new Mount("tmpfs", parts[0], false, "tmpfs", parts.length > 1 ? parts[1] : ""));
        }
        return mounts;
    }

    /** A service's variables: its env_file(s) that exist under deploy/compose, then its environment. */
    private Map<String, String> environment(String name, JsonNode s) {
        Map<String, String> environment = new TreeMap<>();
        for (JsonNode envFile : s.path("env_file").isArray() ? s.path("env_file") : List.of(s.path("env_file"))) {
            String path = envFile.isTextual() ? envFile.asText() : envFile.path("path").asText("");
            if (path.isEmpty()) {
                continue;
            }
            Optional<String> content = files.find("compose/" + path);
            if (content.isEmpty() && (envFile.isTextual() || envFile.path("required").asBoolean(true))) {
                problem(FILE + ": " + name + " needs env_file " + path + ", which does not exist");
            }
            content.ifPresent(c -> c.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#") && l.contains("="))
                    .forEach(l -> environment.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1))));
        }
        JsonNode env = s.path("environment");
        if (env.isObject()) {
            env.fields().forEachRemaining(e -> environment.put(e.getKey(), interpolate(e.getValue().asText())));
        } else {
            for (JsonNode e : env) {
                String[] kv = e.asText().split("=", 2);
                environment.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
            }
        }
        return environment;
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asText("");
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.addAll(List.of(node.asText().trim().split("\\s+")));
        } else {
            node.forEach(n -> values.add(interpolate(n.asText())));
        }
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
