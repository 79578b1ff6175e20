package io.stator.benchmarks.driver;

/** A bad {@code ./stator bench} command line; its message is the one line shown to the user. */
final class BenchUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchUsageException(String message) {
        super(message);
    }
}
