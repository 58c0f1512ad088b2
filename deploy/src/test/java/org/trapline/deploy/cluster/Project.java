package org.trapline.deploy.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.trapline.config.TraplineConfig;
import org.trapline.deploy.Trapline;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine;

/**
 * What the deployment files are checked against: the project's own sources and build, read where they are.
 */
final class Project {

    /** The four services: the trapline subcommand that runs each, its configuration prefix and default port. */
    enum Service {
        INGEST("ingest", "ingest", 8082),
        DETECTOR("detect", "detector", 8083),
        IDENTIFIER("identify", "identifier", 8084),
        AGGREGATOR("aggregate", "aggregator", 8085);

        final String command;
        final String prefix;
        final int defaultPort;

        Service(String command, String prefix, int defaultPort) {
            this.command = command;
            this.prefix = prefix;
            this.defaultPort = defaultPort;
        }

        String portKey() {
            return prefix + ".http.port";
        }

        String hostKey() {
            return prefix + ".http.host";
        }

        int port(TraplineConfig config) {
            return config.getInt(portKey(), defaultPort);
        }

        static Service byCommand(String command) {
            for (Service service : values()) {
                if (service.command.equals(command)) {
                    return service;
                }
            }
            return null;
        }
    }

    /** Keys and subcommands accepted before their code exists (none now: the aggregator has landed). */
    static final Set<String> ANNOUNCED_KEYS = Set.of();
    static final Set<String> ANNOUNCED_COMMANDS = Set.of();

    private static Project instance;

    final Path root;
    private final Set<String> keys = new TreeSet<>();
    private final Set<String> prefixes = new TreeSet<>();
    private final Map<String, String> pomProperties = new TreeMap<>();
    private final Map<String, String> deployPomProperties = new TreeMap<>();
    private String version;

    private Project(Path root) {
        this.root = root;
        scanSources();
        readRootPom();
    }

    /** The project whose deploy/ folder holds the manifests; found from the working directory up. */
    static synchronized Project get() {
        if (instance == null) {
            Path dir = Path.of("").toAbsolutePath();
            while (dir != null && !Files.isDirectory(dir.resolve("deploy/k8s"))) {
                dir = dir.getParent();
            }
            if (dir == null) {
                throw new IllegalStateException("no deploy/k8s above " + Path.of("").toAbsolutePath());
            }
            instance = new Project(dir);
        }
        return instance;
    }

    /**
     * Every string literal in the main sources of every module that looks like a configuration key
     * ({@code detector.http.port}); those ending in a dot ({@code ingest.gateway.}, {@code kafka.}) are prefixes
     * under which the code reads keys it builds (per gateway, per species, passed through to Kafka). The sources
     * are parsed ({@link SourceKeys}), so that literals in comments do not count, and the keys the code builds
     * are seen too ({@link #configurationKeys()}).
     */
    private void scanSources() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).sorted().toList()) {
                try (Stream<Path> walk = Files.walk(module.resolve("src/main/java"))) {
                    walk.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SourceKeys scan = SourceKeys.scan(root, files);
        for (String value : scan.literals()) {
            if (value.indexOf('.') > 0 && LITERAL_KEY.matcher(value).matches()) {
                (value.endsWith(".") ? prefixes : keys).add(value);
            }
        }
        namespaces = new TreeSet<>();
        scan.uses().stream().filter(SourceKeys.Use::read).map(SourceKeys.Use::namespace).filter(n -> !n.equals("*"))
                .forEach(namespaces::add);
        PASS_THROUGH.keySet().forEach(p -> namespaces.add(p.substring(0, p.indexOf('.'))));
        namespaces = Set.copyOf(namespaces);
        configurationKeys = scan.uses().stream()
                .filter(u -> (namespaces.contains(u.namespace()) || u.namespace().equals("*")) && !NOT_KEYS.containsKey(u.key()))
                .toList();
        if (!keys.contains(TraplineConfig.BOOTSTRAP_SERVERS) || !prefixes.contains("kafka.")) {
            throw new IllegalStateException("the scan of the sources under " + root + " found no configuration keys");
        }
    }

    private static final java.util.regex.Pattern LITERAL_KEY = java.util.regex.Pattern.compile("[a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.?");

    /**
     * Prefixes under which the configuration is handed to other libraries as it is (TraplineConfig): no Trapline
     * code reads the keys under them one by one, so the configuration reference lists each as a prefix.
     */
    static final Map<String, String> PASS_THROUGH = Map.of(
            "kafka.", "every Kafka client, without the prefix (KafkaClientSettings)",
            "apicurio.", "the schema registry's serdes, as they are (RegistrySettings)");

    /**
     * Strings under a configuration namespace that are not configuration keys, with the reason (where the
     * scan of the sources cannot tell).
     */
    static final Map<String, String> NOT_KEYS = Map.of(
            "registry.log", "the local schema registry's log file (localstack)",
            "kafka.log", "the local broker's log file (localstack)");

    private List<SourceKeys.Use> configurationKeys;
    private Set<String> namespaces;

    /**
     * The configuration keys the main sources read or write, each where it is written ({@link SourceKeys}): in
     * full ({@code detector.http.port}), or with {@code *} where the code puts a name it computes
     * ({@code identifier.matcher.*.match}, {@code aggregator.age.*}, the prefix {@code kafka.*}). A string
     * counts as a key when its first segment is a {@link #configurationNamespaces() namespace} of the
     * configuration, so that a key written outside a call that reads it (a constant, an argument of
     * {@code OnnxThreading.Keys}, a benchmark's setting) is seen too, and a metric's or a file's name
     * ({@code trapline.detector.frames}, {@code catalog.json}) is not; a key whose start the code computes
     * ({@code *.http.port}) counts where it is handed to the configuration.
     */
    List<SourceKeys.Use> configurationKeys() {
        return configurationKeys;
    }

    /**
     * The first segments of the keys the code hands to the configuration ({@code config.getInt("x.y", 5)},
     * {@code config.withPrefix(PREFIX)}, {@code Periods.period(config, key)}), and those of {@link #PASS_THROUGH}.
     */
    Set<String> configurationNamespaces() {
        return namespaces;
    }

    /**
     * Keys the code builds from a prefix, a name and one of these endings (ApiKeys, IdentifierSettings): under
     * such a prefix only these endings are read.
     */
    static final Map<String, Set<String>> ENDINGS = Map.of(
            "ingest.gateway.", Set.of(".key.sha256", ".cameras"),
            "ingest.operator.", Set.of(".key.sha256"),
            "identifier.species.", Set.of(".matchers"),
            "identifier.site.", Set.of(".matchers"),
            "identifier.matcher.", Set.of(".match", ".review"));

    /** Whether the code reads this configuration key (or it is one the aggregator's issue announces). */
    boolean knowsKey(String key) {
        if (keys.contains(key) || ANNOUNCED_KEYS.contains(key)) {
            return true;
        }
        return prefixes.stream().filter(p -> key.startsWith(p) && key.length() > p.length())
                .anyMatch(p -> !ENDINGS.containsKey(p) || ENDINGS.get(p).stream().anyMatch(e -> key.endsWith(e) && key.length() > p.length() + e.length()));
    }

    private void readRootPom() {
        readPom(root.resolve("pom.xml"), pomProperties);
        readPom(root.resolve("deploy/pom.xml"), deployPomProperties);
    }

    private void readPom(Path pom, Map<String, String> pomProperties) {
        try {
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            Element project = document.getDocumentElement();
            for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("version") && pomProperties == this.pomProperties) {
                    version = e.getTextContent().trim();
                }
                if (n instanceof Element e && e.getTagName().equals("properties")) {
                    for (Node p = e.getFirstChild(); p != null; p = p.getNextSibling()) {
                        if (p instanceof Element property) {
                            pomProperties.put(property.getTagName(), property.getTextContent().trim());
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    /** A property of the root pom, e.g. kafka.version. */
    String pomProperty(String name) {
        String value = pomProperties.get(name);
        if (value == null) {
            throw new IllegalStateException("the root pom has no property " + name);
        }
        return value;
    }

    /** The repository of the services' image, as the image profile of deploy/pom.xml names it (trapline/trapline). */
    String imageRepository() {
        return deployPomProperties.get("trapline.image");
    }

    String version() {
        return version;
    }

    /** The trapline subcommands that take a --config option, as the command line defines them. */
    static synchronized Set<String> serviceCommands() {
        if (serviceCommands != null) {
            return serviceCommands;
        }
        Set<String> commands = new TreeSet<>();
        new CommandLine(new Trapline()).getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().findOption("--config") != null) {
                commands.add(name);
            }
        });
        serviceCommands = Set.copyOf(commands);
        return serviceCommands;
    }

    private static Set<String> serviceCommands;

    /** A properties file's text as TraplineConfig reads it (values trimmed). */
    static Map<String, String> properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }

    /** A service's configuration: its file, then its TRAPLINE_* variables, mapped as TraplineConfig maps them. */
    static TraplineConfig effective(Map<String, String> file, Map<String, String> environment) {
        Map<String, String> variables = new TreeMap<>(environment);
        variables.remove(TraplineConfig.CONFIG_FILE_ENV);
        return TraplineConfig.of(file).with(TraplineConfig.load(null, variables).asMap());
    }
}
