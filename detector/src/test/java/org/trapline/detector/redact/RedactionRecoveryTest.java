package org.trapline.detector.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trapline.blob.BlobKeys;
import org.trapline.blob.FileSystemBlobStore;

/** A batch's redactions through its commit, its abort, and a crash its partition's next owner finds. */
class RedactionRecoveryTest {

    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    RedactionJournal journal;
    RedactionRecovery recovery;

    @BeforeEach
    void setUp() throws IOException {
        blobs = new FileSystemBlobStore(dir);
        journal = new RedactionJournal(blobs);
        recovery = new RedactionRecovery(journal);
    }

    RedactionJournal.Removal original(int seed) throws IOException {
        byte[] bytes = new byte[] {(byte) seed, 1, 2, 3};
        String key = BlobKeys.content(BlobKeys.sha256(bytes));
        blobs.put(key, bytes);
        return new RedactionJournal.Removal(key, null);
    }

    boolean stored(String key) throws IOException {
        return blobs.get(key).isPresent();
    }

    @Test
    void aCommittedBatchsJournalIsInItsOffsetsAndItsOriginalsLeaveOnceCommitted() throws Exception {
        RedactionJournal.Removal person = original(1);
        String metadata = recovery.offsetMetadata(List.of(person));
        Set<String> named = RedactionJournal.keys(metadata);
        assertEquals(1, named.size(), metadata);
        assertTrue(stored(named.iterator().next()), "the journal is written before the commit");
        assertTrue(stored(person.original()), "and the original is still there");

        recovery.committed();
        assertFalse(stored(person.original()), "taken out once committed");
        assertFalse(stored(named.iterator().next()), "and its journal with it");
        assertEquals("", recovery.offsetMetadata(List.of()), "nothing left for the next batch's offsets to name");
    }

    @Test
    void anAbortedBatchsJournalIsThrownAwayAndItsOriginalStaysForTheRetry() throws Exception {
        RedactionJournal.Removal person = original(2);
        String journalKey = RedactionJournal.keys(recovery.offsetMetadata(List.of(person))).iterator().next();

        recovery.aborted();
        assertFalse(stored(journalKey), "nothing refers to it");
        assertTrue(stored(person.original()), "the frame is processed again: its original is needed");
    }

    @Test
    void theRedactionsAPartitionsLastOwnerCommittedButDidNotCompleteAreCompletedByTheNext() throws Exception {
        RedactionJournal.Removal person = original(3);
        String leftBehind = RedactionJournal.metadata(List.of(journal.open(List.of(person))));  // then it crashed

        recovery.completeLeftBy(Arrays.asList(new OffsetAndMetadata(7, leftBehind), new OffsetAndMetadata(3), null));
        assertFalse(stored(person.original()), "the new owner took the original out");
    }
}
