package io.stator.runtime;

import io.stator.sdk.EgressMessage;

/**
 * Where partitions put egress records. Called from partition threads, concurrently: implementations are
 * thread-safe.
 */
public interface EgressSink extends AutoCloseable {
    /**
     * @param epoch   the sending partition's snapshot epoch
     * @param message the record
     */
    void emit(long epoch, EgressMessage message);

    @Override
    default void close() {
    }
}
