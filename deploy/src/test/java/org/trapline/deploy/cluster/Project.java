package org.trapline.deploy.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
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
     * under which the code reads keys it builds (per gateway, per species, passed through to Kafka).
     */
    private void scanSources() {
        java.util.regex.Pattern literal = java.util.regex.Pattern.compile("\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.?)\"");
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher m = literal.matcher(Files.readString(file));
                        while (m.find()) {
                            String value = m.group(1);
                            if (value.indexOf('.') > 0) {
                                (value.endsWith(".") ? prefixes : keys).add(value);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!keys.contains(TraplineConfig.BOOTSTRAP_SERVERS) || !prefixes.contains("kafka.")) {
            throw new IllegalStateException("the scan of the sources under " + root + " found no configuration keys");
        }
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
