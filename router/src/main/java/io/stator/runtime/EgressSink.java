package io.stator.runtime;

import io.stator.sdk.EgressMessage;

/**
 * Where partitions put egress records. Called from partition threads, concurrently: implementations are
 * thread-safe. An implementation may buffer a thread's records until that thread calls {@link #flush()}.
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

    /**
     * Writes out the records the calling thread emitted that the sink still buffers. A partition calls it at the end
     * of every duty cycle and before it reports its part of a snapshot, so that a record is durable before the
     * commit of its epoch can follow. Sinks that do not buffer do nothing.
     */
    default void flush() {
    }

    @Override
    default void close() {
    }
}
