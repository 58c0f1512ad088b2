package org.trapline.testsupport.samples;

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

    /** The camera-trap samples' truth labels. */
    public Path cameraTrapLabels() {
        return file("images/camera-traps/labels.csv");
    }
}
