package org.trapline.detector.redact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.FileSystemBlobStore;
import org.trapline.schema.BlobRef;

/** The journal that finishes a redaction whose process died between the commit and the removal. */
class RedactionJournalTest {

    static String store(FileSystemBlobStore blobs, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String key = BlobKeys.content(BlobKeys.sha256(bytes));
        blobs.put(key, bytes);
        return key;
    }

    @Test
    void aJournalLeftByACrashTakesTheOriginalsOutWhenCompleted(@TempDir Path dir) throws Exception {
        FileSystemBlobStore blobs = new FileSystemBlobStore(dir);
        String first = store(blobs, "a picture of a person");
        String second = store(blobs, "another picture of a person");
        String unrelated = store(blobs, "a picture of a fox");
        Redactor redactor = new Redactor(blobs, Redactor.Mode.BLUR);
        RedactionJournal journal = new RedactionJournal(blobs);

        // what a batch leaves behind when its process dies right after the commit: the journal, named in
        // the committed offsets, and both originals still in the store
        String key = journal.open(List.of(redactor.removal(new BlobRef("fs", first, 21L)),
                redactor.removal(new BlobRef("fs", second, 27L))));
        String metadata = RedactionJournal.metadata(List.of(key));
        assertTrue(blobs.exists(first) && blobs.exists(second));

        // the next owner of the partition reads the metadata and completes the journal
        for (String named : RedactionJournal.keys(metadata)) {
            journal.complete(named);
        }
        assertFalse(blobs.exists(first), "the original with a person is gone");
        assertFalse(blobs.exists(second));
        assertTrue(blobs.exists(unrelated), "nothing else is touched");
        assertEquals(Optional.empty(), journal.read(key), "the journal is gone with them");
        journal.complete(key);  // a second owner doing the same finds nothing left to do
    }

    @Test
    void inRestrictModeTheOriginalIsMovedNeverLost(@TempDir Path dir) throws Exception {
        FileSystemBlobStore blobs = new FileSystemBlobStore(dir);
        String original = store(blobs, "a picture of a person");
        String other = store(blobs, "a second picture of a person");
        Redactor redactor = new Redactor(blobs, Redactor.Mode.RESTRICT);
        RedactionJournal journal = new RedactionJournal(blobs);
        BlobRef ref = new BlobRef("fs", original, 21L);
        BlobRef otherRef = new BlobRef("fs", other, 28L);
        // redact() keeps the restricted copy before the commit; suppose it is there for one and (by some
        // loss) not for the other: completion copies before it deletes
        blobs.put(Redactor.restrictedKey(ref), "a picture of a person".getBytes(StandardCharsets.UTF_8));
        String key = journal.open(List.of(redactor.removal(ref), redactor.removal(otherRef)));

        journal.complete(key);
        assertFalse(blobs.exists(original));
        assertFalse(blobs.exists(other));
        assertArrayEquals("a picture of a person".getBytes(StandardCharsets.UTF_8), blobs.get(Redactor.restrictedKey(ref)).orElseThrow());
        assertArrayEquals("a second picture of a person".getBytes(StandardCharsets.UTF_8),
                blobs.get(Redactor.restrictedKey(otherRef)).orElseThrow(), "copied to the operators' place, then removed");
    }

    @Test
    void metadataNamesTheJournalsThatFitAndNothingElse() {
        assertEquals("", RedactionJournal.metadata(List.of()));
        assertEquals(Set.of(), RedactionJournal.keys(""));
        assertEquals(Set.of(), RedactionJournal.keys(null));
        assertEquals(Set.of(), RedactionJournal.keys("someone else's metadata"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(BlobKeys.of("redactions", "pending", "journal-" + i + ".txt"));
        }
        String metadata = RedactionJournal.metadata(keys);
        assertTrue(metadata.length() <= RedactionJournal.METADATA_LIMIT, "within Kafka's limit: " + metadata.length());
        Set<String> named = RedactionJournal.keys(metadata);
        assertTrue(named.size() > 50, "dozens fit: " + named.size());
        assertEquals(keys.subList(0, named.size()), List.copyOf(named), "the first (most important) ones, in order");
    }
}
