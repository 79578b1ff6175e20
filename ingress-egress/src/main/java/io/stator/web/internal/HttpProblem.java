package io.stator.web.internal;

/**
 * A request that cannot be served, with the HTTP status and the one-line reason sent back. Thrown while parsing
 * and checking a request, caught by the handler that answers.
 */
public final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    private HttpProblem(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** @return a 400 Bad Request */
    public static HttpProblem badRequest(String reason) {
        return new HttpProblem(400, reason);
    }

    /** @return a 404 Not Found */
    public static HttpProblem notFound(String reason) {
        return new HttpProblem(404, reason);
    }

    /** @return a 413 Content Too Large */
    public static HttpProblem tooLarge(String reason) {
        return new HttpProblem(413, reason);
    }

    /** @return a 503 Service Unavailable; the caller sets {@code Retry-After} */
    public static HttpProblem unavailable(String reason) {
        return new HttpProblem(503, reason);
    }

    /** @return the same problem with {@code prefix} before its reason (e.g. where in the request it is) */
    public HttpProblem withPrefix(String prefix) {
        return new HttpProblem(status, prefix + getMessage());
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }
}
