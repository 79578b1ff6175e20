package io.stator.runtime.ops;

/**
 * A request the ops endpoints refuse: carries the HTTP status and a one-line reason for the client. Thrown
 * inside a handler and turned into a text reply at its top; never escapes the ops package.
 */
final class OpsProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    private OpsProblem(int status, String reason) {
        super(reason, null, false, false); // a refusal, not a failure: no stack trace needed
        this.status = status;
    }

    static OpsProblem badRequest(String reason) {
        return new OpsProblem(400, reason);
    }

    static OpsProblem forbidden(String reason) {
        return new OpsProblem(403, reason);
    }

    static OpsProblem notFound(String reason) {
        return new OpsProblem(404, reason);
    }

    /** A 405; the caller sets the {@code Allow} header before throwing. */
    static OpsProblem methodNotAllowed(String reason) {
        return new OpsProblem(405, reason);
    }

    static OpsProblem tooLarge(String reason) {
        return new OpsProblem(413, reason);
    }

    static OpsProblem unsupportedMediaType(String reason) {
        return new OpsProblem(415, reason);
    }

    static OpsProblem conflict(String reason) {
        return new OpsProblem(409, reason);
    }

    static OpsProblem serverError(String reason) {
        return new OpsProblem(500, reason);
    }

    static OpsProblem unavailable(String reason) {
        return new OpsProblem(503, reason);
    }

    static OpsProblem timeout(String reason) {
        return new OpsProblem(504, reason);
    }

    static OpsProblem notImplemented(String reason) {
        return new OpsProblem(501, reason);
    }

    int status() {
        return status;
    }
}
