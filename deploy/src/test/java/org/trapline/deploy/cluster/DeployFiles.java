package org.trapline.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of deploy/k8s and deploy/compose as text, by their path under deploy/ ("k8s/ingest.yaml").
 * Tests make broken copies of them ({@link #replace}) to show that each check fails when it should.
 */
final class DeployFiles {

    private final Map<String, String> files;

    private DeployFiles(Map<String, String> files) {
        this.files = Map.copyOf(files);
    }

    /** The files as they are in the project. */
    static DeployFiles load() {
        Path deploy = Project.get().root.resolve("deploy");
        Map<String, String> files = new TreeMap<>();
        for (String dir : new String[] {"k8s", "compose"}) {
            try (Stream<Path> paths = Files.walk(deploy.resolve(dir))) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    files.put(deploy.relativize(path).toString().replace('\\', '/'), Files.readString(path));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DeployFiles(files);
    }

    static DeployFiles of(Map<String, String> files) {
        return new DeployFiles(files);
    }

    Optional<String> find(String path) {
        return Optional.ofNullable(files.get(normalize(path)));
    }

    Map<String, String> all() {
        return files;
    }

    /** A copy with the first occurrence of {@code from} in {@code path} replaced; fails if there is none. */
    DeployFiles replace(String path, String from, String to) {
        String text = files.get(path);
        if (text == null || !text.contains(from)) {
            throw new IllegalArgumentException(path + " has no '" + from + "' to replace");
        }
        Map<String, String> changed = new TreeMap<>(files);
        int at = text.indexOf(from);
        changed.put(path, text.substring(0, at) + to + text.substring(at + from.length()));
        return new DeployFiles(changed);
    }

    /** A copy with one file added or replaced whole. */
    DeployFiles with(String path, String text) {
        Map<String, String> changed = new TreeMap<>(files);
        changed.put(path, text);
        return new DeployFiles(changed);
    }

    /** "k8s/kafka/../config/x" to "k8s/config/x". */
    static String normalize(String path) {
        return Path.of(path).normalize().toString().replace('\\', '/');
    }
}
