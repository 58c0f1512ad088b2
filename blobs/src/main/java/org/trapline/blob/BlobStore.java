package org.trapline.blob;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the bytes of images and clips are kept, so that events carry a reference, never the bytes
 * (claim check). Keys are paths of safe segments ({@code sha256/ab/abcd…}); a {@code put} returns only
 * once the object is durable, so an event that names it can be published safely.
 */
public interface BlobStore {

    /** The store's name as written in {@code BlobRef.store}: "fs", "s3". */
    String name();

    /** Stores {@code bytes} under {@code key} durably; storing the same key again is a no-op. */
    void put(String key, byte[] bytes) throws IOException;

    Optional<byte[]> get(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Removes the object; removing one that is not there is a no-op. */
    void delete(String key) throws IOException;

    /** Whether the store can be written right now (readiness). */
    boolean writable();
}
