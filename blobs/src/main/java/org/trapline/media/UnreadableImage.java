package org.trapline.media;

/**
 * Bytes Trapline will not take as a picture, with the reason a person can act on: not an image type it
 * reads at all, or one that is truncated or corrupt. Each door maps the two to its own answer (ingest:
 * 415 and 422).
 */
public final class UnreadableImage extends Exception {

    /** Why the bytes are refused. */
    public enum Kind {
        /** Not JPEG or PNG, told from the bytes' signature. */
        NOT_AN_IMAGE,
        /** A JPEG or PNG that cannot be decoded whole: truncated, or reported corrupt by the decoder. */
        CORRUPT
    }

    private final Kind kind;

    public UnreadableImage(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
