package org.trapline.identifier.review;

/** A review request that cannot be done, with the HTTP status that says why (404 unknown, 409 conflicting). */
public final class ReviewException extends Exception {

    private final int status;

    public ReviewException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
