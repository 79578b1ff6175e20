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

    /**
     * Every partition has moved past {@code epoch}: its records may become visible to read-committed readers.
     * Called by the epoch coordinator, epochs in increasing order.
     */
    default void commit(long epoch) {
    }

    @Override
    default void close() {
    }
}
