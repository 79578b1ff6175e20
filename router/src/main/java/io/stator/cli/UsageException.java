package io.stator.cli;

/** A command line that cannot run: the message is one line, and the process exits with status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
