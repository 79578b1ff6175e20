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
     * Says whether {@link #emit} could write {@code message}, before anything of the call that emits it is applied:
     * a record the sink can never write must fail its call, not stop the partition half way through its effects.
     *
     * @return why the record cannot be written (too large, say), or null if it can; any thread
     */
    default String refusal(EgressMessage message) {
        return null;
    }

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

    /**
     * The sink one partition's thread emits and flushes through, asked once per partition when the runtime starts.
     * A sink that keeps each thread's records apart returns that partition's buffers here, so that an emit needs no
     * lookup of the calling thread. Commits and closing still go to this sink.
     *
     * @param partition the partition's index
     * @return this sink (the default), or a view used by that partition's thread only
     */
    default EgressSink forPartition(int partition) {
        return this;
    }

    @Override
    default void close() {
    }
}
