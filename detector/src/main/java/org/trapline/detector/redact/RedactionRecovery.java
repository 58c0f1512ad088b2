package org.trapline.detector.redact;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redactions of the detector's batches through commits, crashes and rebalances ({@link RedactionJournal} says
 * why): a batch's journal opened before its commit and named in its offsets' metadata, together with every
 * journal committed earlier but not yet completed (the store failed), so that none is forgotten; completed once
 * committed, thrown away when the batch aborts; and those a partition's last owner left, completed before any of
 * the partition's frames is processed. Used by the loop thread only.
 */
public final class RedactionRecovery {

    private static final Logger log = LoggerFactory.getLogger(RedactionRecovery.class);

    private final RedactionJournal journal;
    /** Journals committed but not yet completed (the store failed): retried, and kept in the offsets. */
    private final SequencedSet<String> unfinished = new LinkedHashSet<>();
    /** The journal of the batch in its transaction, if it redacts anything. */
    private String opened;

    public RedactionRecovery(RedactionJournal journal) {
        this.journal = journal;
    }

    /**
     * The offsets' metadata of a batch that takes out these originals: its own journal (written now, durably) first,
     * then the unfinished ones, newest first.
     */
    public String offsetMetadata(List<RedactionJournal.Removal> removals) throws IOException {
        List<String> pending = new ArrayList<>();
        opened = null;
        if (!removals.isEmpty()) {
            opened = journal.open(removals);
            pending.add(opened);
        }
        pending.addAll(unfinished.reversed());
        String metadata = RedactionJournal.metadata(pending);
        if (RedactionJournal.keys(metadata).size() < pending.size()) {
            log.error("{} redaction journals are unfinished and not all fit in the offsets: if this process dies, "
                    + "complete the oldest of {} by hand", pending.size(), unfinished);
        }
        return metadata;
    }

    /** The batch committed: its originals, and any left unfinished before, are taken out. */
    public void committed() {
        if (opened != null) {
            unfinished.add(opened);
            opened = null;
        }
        finish(List.copyOf(unfinished));
    }

    /** The batch aborted: nothing refers to its journal, and its frames are processed again. */
    public void aborted() {
        if (opened != null) {
            try {
                journal.discard(opened);
            } catch (IOException e) {
                log.warn("redaction journal {} of an aborted batch not removed (harmless: nothing refers to it)", opened);
            }
            opened = null;
        }
    }

    /** Between batches: tries again to complete what the store failed on. */
    public void retry() {
        if (!unfinished.isEmpty()) {
            finish(List.copyOf(unfinished));
        }
    }

    /**
     * Partitions given to this instance may carry redactions that their last owner committed but did not complete
     * (it crashed in between): completes them, from the partitions' committed offsets.
     */
    public void completeLeftBy(Collection<OffsetAndMetadata> committedOffsets) {
        Set<String> journals = new LinkedHashSet<>();
        committedOffsets.forEach(offset -> {
            if (offset != null) {
                journals.addAll(RedactionJournal.keys(offset.metadata()));
            }
        });
        if (!journals.isEmpty()) {
            log.info("completing {} redaction(s) committed by this partition's last owner: {}", journals.size(), journals);
            finish(journals);
        }
    }

    /** Completes committed redactions; those the store fails on stay named in the offsets and are tried again. */
    private void finish(Collection<String> journals) {
        for (String key : journals) {
            try {
                journal.complete(key);
                unfinished.remove(key);
            } catch (IOException | RuntimeException e) {
                unfinished.add(key);
                log.error("redaction journal {}: originals not yet taken out of the store, will try again: {}", key, e.toString());
            }
        }
    }
}
