package org.trapline.detector.redact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

import org.trapline.blob.BlobKeys;
import org.trapline.blob.BlobStore;
import org.trapline.schema.Frame;
import org.trapline.schema.FrameDetections;

/**
 * A redacted frame's published result, kept beside the blobs before its transaction commits: the original is
 * taken out of the store once the commit is through, so a retry (the commit failed after all, or the process died)
 * finds the image gone and republishes this, the same decision, instead of losing the frame.
 */
public final class KeptResults {

    private final BlobStore blobs;

    public KeptResults(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Where a frame's result is kept; refuses a frame id no blob key can hold. */
    public static String key(Frame frame) {
        return BlobKeys.of("detections", frame.getFrameId());
    }

    public Optional<FrameDetections> find(Frame frame) throws IOException {
        Optional<byte[]> kept = blobs.get(key(frame));
        return kept.isPresent() ? Optional.of(FrameDetections.fromByteBuffer(ByteBuffer.wrap(kept.get()))) : Optional.empty();
    }

    public void keep(Frame frame, FrameDetections result) throws IOException {
        ByteBuffer buffer = result.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        blobs.put(key(frame), bytes);
    }
}
