package io.stator.runtime.internal;

import java.util.List;

/**
 * New input for one partition: the messages it reads only while it is not backpressured. Partition-thread
 * only.
 */
public interface IngressSource extends AutoCloseable {
    /**
     * Hands up to {@code limit} new messages to {@code sink}.
     *
     * @return how many were handed over
     */
    int poll(InputSink sink, int limit);

    /**
     * @return where reading would resume after the input delivered so far, or -1 if this source cannot resume
     *     (in-process input is not durable)
     */
    default long position() {
        return -1;
    }

    /**
     * @return messages this source has taken (they are behind {@link #position()}) but not handed over, because
     *     handing over one of them (the first) failed; they come first at the next poll. A snapshot records them
     *     with the position.
     */
    default List<Envelope> undelivered() {
        return List.of();
    }

    @Override
    default void close() {
    }
}
