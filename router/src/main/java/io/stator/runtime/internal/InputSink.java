package io.stator.runtime.internal;

import java.util.function.Consumer;

/** What a partition's new input is handed to: messages, and documents of the ingress log that cannot be read. */
@FunctionalInterface
public interface InputSink extends Consumer<Envelope> {
    /**
     * A document of the durable ingress log cannot be read; it reaches the one partition that owns key group 0,
     * and no one else. If this returns, the source moves past it; by default it throws {@code error}, and the
     * source stays before it.
     *
     * @param position the document's position in the log
     * @param document its first bytes
     * @param length   its length in bytes
     * @param error    what is wrong with it
     */
    default void damaged(long position, byte[] document, int length, RuntimeException error) {
        throw error;
    }
}
