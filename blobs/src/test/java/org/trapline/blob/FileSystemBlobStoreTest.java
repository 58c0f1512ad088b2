package org.trapline.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {

    @Test
    void storesByContentAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("blobs"));
        byte[] bytes = "a frame".getBytes(StandardCharsets.UTF_8);
        String key = BlobKeys.content(BlobKeys.sha256(bytes));
        store.put(key, bytes);
        store.put(key, bytes);  // again: a no-op
        assertArrayEquals(bytes, store.get(key).orElseThrow());
        assertTrue(store.exists(key));
        try (var files = Files.walk(store.root())) {
            assertEquals(List.of(store.root().resolve(key)), files.filter(Files::isRegularFile).toList(),
                    "only the object, no temporary file beside it");
        }
        assertFalse(store.get(BlobKeys.content("0".repeat(64))).isPresent());
    }

    @Test
    void keysCannotLeadOutOfTheStore(@TempDir Path dir) throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("blobs"));
        for (String key : List.of("../outside", "frames/../../etc/passwd", "/etc/passwd", "frames//x", "frames/.hidden",
                "frames/cam 7/x", "")) {
            assertThrows(IllegalArgumentException.class, () -> store.put(key, new byte[] {1}), key);
        }
        assertThrows(IllegalArgumentException.class, () -> BlobKeys.content("ABC"), "not a SHA-256");
        assertFalse(Files.exists(dir.resolve("outside")));
    }
}
