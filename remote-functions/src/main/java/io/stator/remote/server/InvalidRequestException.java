package io.stator.remote.server;

/**
 * The request bytes are not a valid {@code ToFunction} (unparsable protobuf, an invalid target or argument).
 * Retrying the same bytes cannot succeed, so the HTTP layer answers 400 instead of 500.
 */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the request, naming the bad value */
    public InvalidRequestException(String message) {
        super(message);
    }

    /** @param message what is wrong with the request; {@code cause} is the parser's error */
    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
