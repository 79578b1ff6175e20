package io.stator.state;

/** A stored state value has another type than the {@code ValueSpec} that reads it. */
public final class StateTypeMismatchException extends RuntimeException {
    public StateTypeMismatchException(String message) {
        super(message);
    }
}
