package io.stator.runtime.config;

/** A {@code module.yaml} that cannot be used; the message is one line naming the file, the line and the problem. */
public final class ModuleConfigException extends RuntimeException {
    public ModuleConfigException(String message) {
        super(message);
    }

    public ModuleConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
