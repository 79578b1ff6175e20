package io.stator.egress.internal;

/**
 * Thrown by a record handler to end an {@link io.stator.egress.EgressReader#poll} before a record: the reader stays
 * before it, so the next poll delivers it. For a reader's consumer that has taken as many bytes as it may hold. One
 * shared instance without a stack trace: it is control flow, not an error.
 */
public final class StopReading extends RuntimeException {
    /** The instance to throw. */
    public static final StopReading INSTANCE = new StopReading();

    private StopReading() {
        super("stop reading before this record", null, false, false);
    }
}
