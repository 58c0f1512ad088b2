package org.trapline.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The embedded default: blobs as files under one directory. A write goes to a temporary file in the
 * target directory, is forced to disk, then atomically renamed into place and the directory forced too,
 * so a crash leaves either the whole object or nothing, and an acknowledged object survives power loss.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path root;

    public FileSystemBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    @Override
    public String name() {
        return "fs";
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        Path target = resolve(key);
        if (Files.exists(target)) {
            return;
        }
        Path dir = Files.createDirectories(target.getParent());
        Path temp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.exists(target)) {
                    throw e;
                }
                // a concurrent put of the same content won the race: the object is there
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Path path = resolve(key);
        if (Files.deleteIfExists(path)) {
            forceDirectory(path.getParent());
        }
    }

    @Override
    public boolean writable() {
        return Files.isDirectory(root) && Files.isWritable(root);
    }

    private Path resolve(String key) {
        Path path = root.resolve(BlobKeys.check(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("blob key '" + key + "' leads outside the store");
        }
        return path;
    }

    /** Makes the rename itself durable (on POSIX a directory can be opened and forced). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems do not allow opening a directory; the rename is still atomic there
        }
    }
}
