package io.stator.remote.client;

import io.stator.sdk.TypeName;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One dispatcher's counters for one remote function type: the {@link RemoteCounter}s, batches in flight,
 * invocations queued, and the latency of applied replies (from a batch's first send to its effects applied,
 * retries and state round trips included). The gauges and latency are written only by the partition thread and
 * read racily by metrics; the counters are atomic because HTTP threads count retries.
 */
public final class RemoteTypeCounters {
    private final TypeName type;
    final AtomicLongArray counts = new AtomicLongArray(RemoteCounter.values().length);
    volatile int inFlight;
    volatile int queued;
    volatile long replyNanosSum;

    RemoteTypeCounters(TypeName type) {
        this.type = type;
    }

    /** @return the function type */
    public TypeName type() {
        return type;
    }

    /** @return the counter's value for this type */
    public long count(RemoteCounter counter) {
        return counts.get(counter.id());
    }

    /** @return batches of this type in flight */
    public int inFlight() {
        return inFlight;
    }

    /** @return invocations of this type waiting behind a batch in flight */
    public int queued() {
        return queued;
    }

    /** @return the summed latency of applied replies, nanoseconds; divide by {@code count(REPLIES_APPLIED)} */
    public long replyNanosSum() {
        return replyNanosSum;
    }
}
