package org.trapline.runtime.http;

/**
 * A request refused at the HTTP level (a missing or unknown key, a malformed request): answered with its status
 * and {@code {"status": …, "error": message}} by every {@link ServiceHttp}.
 */
public class HttpError extends RuntimeException {

    private final int status;

    public HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
