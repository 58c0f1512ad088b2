package org.trapline.detector.redact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;

/**
 * Makes the last step of a redaction survive a crash. A redacted frame's original may leave the shared
 * store only once the frame's redacted result is committed; a process that dies between that commit and
 * the removal would leave a picture of a person readable, and nothing would read that frame again.
 *
 * <p>So before a batch with redactions commits, the originals it will take out are written down in a
 * journal (one small blob, durable before the commit), and the journal's key goes into the committed
 * consumer offsets' metadata, in the same transaction as the results. Once committed, the originals are
 * removed and the journal with them. Whoever is next given the partitions (this process after a
 * restart, or another instance after a rebalance) reads the committed metadata and completes every
 * journal still there ({@link #complete}, idempotent). A batch that aborts leaves no committed reference
 * to its journal: its frames are processed again and their originals stay until then.
 */
public final class RedactionJournal {

    /** Offsets' metadata this journal wrote starts with this. */
    static final String METADATA_PREFIX = "trapline.redactions:";
    /** Kafka's default {@code offset.metadata.max.bytes} is 4096. */
    static final int METADATA_LIMIT = 4000;

    /** One original to take out; in restrict mode, where its operator-only copy must be first. */
    public record Removal(String original, String restricted) {

        public Removal {
            BlobKeys.check(original);
            if (restricted != null) {
                BlobKeys.check(restricted);
            }
        }
    }

    private final BlobStore blobs;

    public RedactionJournal(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Writes down the removals (durably, before the commit that makes them due) and returns the journal's key. */
    public String open(List<Removal> removals) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Removal removal : removals) {
            text.append(removal.original());
            if (removal.restricted() != null) {
                text.append(' ').append(removal.restricted());
            }
            text.append('\n');
        }
        String key = BlobKeys.of("redactions", "pending", UUID.randomUUID() + ".txt");
        blobs.put(key, text.toString().getBytes(StandardCharsets.UTF_8));
        return key;
    }

    /** What a journal holds, or empty once it has been completed (or never existed). */
    public Optional<List<Removal>> read(String key) throws IOException {
        Optional<byte[]> bytes = blobs.get(BlobKeys.check(key));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        List<Removal> removals = new ArrayList<>();
        for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split(" ");
                removals.add(new Removal(parts[0], parts.length > 1 ? parts[1] : null));
            }
        }
        return Optional.of(removals);
    }

    /**
     * Takes out every original the journal names, then the journal. In restrict mode an original whose
     * operator-only copy is missing is copied there first, so that nothing is lost. Safe to run again.
     */
    public void complete(String key) throws IOException {
        Optional<List<Removal>> removals = read(key);
        if (removals.isEmpty()) {
            return;
        }
        for (Removal removal : removals.get()) {
            if (removal.restricted() != null && !blobs.exists(removal.restricted())) {
                Optional<byte[]> original = blobs.get(removal.original());
                if (original.isPresent()) {
                    blobs.put(removal.restricted(), original.get());
                }
            }
            blobs.delete(removal.original());
        }
        blobs.delete(key);
    }

    /** Throws the journal away without acting on it: its batch was not committed. */
    public void discard(String key) throws IOException {
        blobs.delete(BlobKeys.check(key));
    }

    /**
     * The offsets' metadata naming these journals, most important first: as many as fit in the metadata
     * Kafka keeps (dozens; more only when the store has failed for many batches in a row).
     */
    public static String metadata(Collection<String> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        StringBuilder metadata = new StringBuilder(METADATA_PREFIX);
        for (String key : keys) {
            if (metadata.length() + key.length() + 1 > METADATA_LIMIT) {
                break;
            }
            metadata.append(metadata.length() > METADATA_PREFIX.length() ? "," : "").append(key);
        }
        return metadata.toString();
    }

    /** The journals named in an offset's metadata (none when another writer's, or empty). */
    public static Set<String> keys(String metadata) {
        Set<String> keys = new LinkedHashSet<>();
        if (metadata != null && metadata.startsWith(METADATA_PREFIX)) {
            for (String key : metadata.substring(METADATA_PREFIX.length()).split(",")) {
                if (!key.isBlank()) {
                    keys.add(BlobKeys.check(key.trim()));
                }
            }
        }
        return keys;
    }
}
