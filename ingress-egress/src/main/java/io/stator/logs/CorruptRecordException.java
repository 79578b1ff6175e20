package io.stator.logs;

/**
 * A record in a log does not follow its layout: a broken invariant, never a bad input. The reader that throws it
 * cannot go on past the record; the runtime should stop the partition loudly.
 */
public final class CorruptRecordException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the log, the record's index and what is wrong
     */
    public CorruptRecordException(String message) {
        super(message);
    }
}
