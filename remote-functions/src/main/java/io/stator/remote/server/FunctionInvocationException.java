package io.stator.remote.server;

/**
 * A function served remotely failed: it threw, its future completed exceptionally, or the request asked for a
 * function type that is not served here. The whole batch fails and none of its effects are returned, as in
 * StateFun's SDKs; the HTTP layer answers 500 with this message as the text body.
 */
public final class FunctionInvocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the function type and address */
    public FunctionInvocationException(String message) {
        super(message);
    }

    /** @param message what failed; {@code cause} is the function's own error */
    public FunctionInvocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
