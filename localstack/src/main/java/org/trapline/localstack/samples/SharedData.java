package org.trapline.localstack.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The models and sample images shared beside the project ({@code ../shared}): read in place, never
 * copied into the project. Found from {@code -Dtrapline.shared.dir}, {@code TRAPLINE_SHARED_DIR}, or the
 * nearest {@code shared/} folder beside the working directory or one of its parents.
 */
public final class SharedData {

    public static final String DIR_PROPERTY = "trapline.shared.dir";
    public static final String DIR_ENV = "TRAPLINE_SHARED_DIR";

    private final Path root;

    private SharedData(Path root) {
        this.root = root;
    }

    public static SharedData locate() {
        Path root = Optional.ofNullable(System.getProperty(DIR_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(DIR_ENV)))
                .map(Path::of)
                .or(SharedData::searchUpwards)
                .orElseThrow(() -> new IllegalStateException("no shared data found: put the shared folder beside "
                        + "the project, or set " + DIR_ENV));
        return new SharedData(root.toAbsolutePath().normalize());
    }

    private static Optional<Path> searchUpwards() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("models")) && Files.isDirectory(candidate.resolve("images"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Path root() {
        return root;
    }

    /** A file under the shared folder; fails clearly when it is missing. */
    public Path file(String relativePath) {
        Path file = root.resolve(relativePath);
        if (!Files.exists(file)) {
            throw new IllegalStateException("shared data missing: " + file);
        }
        return file;
    }

    public Path models() {
        return file("models");
    }

    public Path images() {
        return file("images");
    }

    /**
     * A test file fetched by {@code bin/fetch-test-data.sh} (which {@code ./trapline test} runs) into the
     * project's {@code .trapline/test-data}; fails with how to get it when it is missing.
     */
    public static Path fetched(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".trapline").resolve("test-data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            if (Files.exists(dir.resolve("bin").resolve("fetch-test-data.sh"))) {
                break;  // the project root, and the file is not there
            }
        }
        throw new IllegalStateException("test data '" + name + "' missing: run bin/fetch-test-data.sh (./trapline test does)");
    }

    /** The camera-trap samples' truth labels. */
    public Path cameraTrapLabels() {
        return file("images/camera-traps/labels.csv");
    }
}
