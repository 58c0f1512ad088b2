package org.trapline.ingest.frames;

/**
 * An upload Trapline will not take, with the reason a person can act on. Nothing of a rejected upload
 * is stored. The kind decides the HTTP status a gateway gets; the CLI prints the reason.
 */
public final class Rejection extends Exception {

    public enum Kind {
        /** 400: the request itself is malformed (a missing camera id, an unreadable time). */
        BAD_REQUEST(400),
        /** 413: larger than the configured limit. */
        TOO_LARGE(413),
        /** 415: not an image or video type Trapline reads. */
        UNSUPPORTED_MEDIA(415),
        /** 422: well-formed, but not acceptable: corrupt or truncated media, unknown camera, wrong site. */
        UNPROCESSABLE(422);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    public Rejection(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
