package io.stator.runtime.internal;

import java.util.ArrayDeque;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A partition's way out to the other partitions' inboxes. A send never blocks: when the target inbox is full
 * the envelope waits in an overflow queue for that target, and every later envelope for the same target queues
 * behind it, so per-sender FIFO order holds. The partition stops taking new input while anything waits here
 * (see {@link #hasOverflow()}), which pushes back on the source instead of deadlocking two full rings.
 * Partition-thread only.
 */
final class Outbox {
    /** Result of {@link #send}: written to the ring, or queued behind a full ring. */
    static final int SENT = 0;
    static final int QUEUED = 1;
    /** The envelope can never fit the target ring: it is larger than the ring's maximum message length. */
    static final int TOO_LARGE = 2;

    private final ManyToOneRingBuffer[] inboxes;
    private final ArrayDeque<Envelope>[] overflow;
    private final EnvelopeCodec codec;
    private int overflowSize;
    private long epoch;
    private long backpressureEvents;

    @SuppressWarnings("unchecked")
    Outbox(ManyToOneRingBuffer[] inboxes, EnvelopeCodec codec) {
        this.inboxes = inboxes;
        this.codec = codec;
        this.overflow = new ArrayDeque[inboxes.length];
        for (int i = 0; i < inboxes.length; i++) {
            overflow[i] = new ArrayDeque<>();
        }
    }

    /** Sets the sender epoch stamped on envelopes sent from now on. */
    void epoch(long epoch) {
        this.epoch = epoch;
    }

    /** Sends {@code e} to partition {@code target}'s inbox, or queues it if the inbox is full. */
    int send(int target, Envelope e) {
        ArrayDeque<Envelope> waiting = overflow[target];
        if (!waiting.isEmpty()) {
            waiting.add(e);
            overflowSize++;
            return QUEUED;
        }
        int length = codec.encodedLength(e);
        if (length > inboxes[target].maxMsgLength()) {
            return TOO_LARGE;
        }
        if (tryWrite(inboxes[target], e, length)) {
            return SENT;
        }
        backpressureEvents++;
        waiting.add(e);
        overflowSize++;
        return QUEUED;
    }

    /** Moves waiting envelopes into their inboxes while there is room. @return how many moved */
    int flush() {
        if (overflowSize == 0) {
            return 0;
        }
        int moved = 0;
        for (int target = 0; target < overflow.length; target++) {
            ArrayDeque<Envelope> waiting = overflow[target];
            Envelope e;
            while ((e = waiting.peek()) != null) {
                if (!tryWrite(inboxes[target], e, codec.encodedLength(e))) {
                    break;
                }
                waiting.poll();
                overflowSize--;
                moved++;
            }
        }
        return moved;
    }

    boolean hasOverflow() {
        return overflowSize > 0;
    }

    int overflowSize() {
        return overflowSize;
    }

    long backpressureEvents() {
        return backpressureEvents;
    }

    private boolean tryWrite(ManyToOneRingBuffer ring, Envelope e, int length) {
        int index = ring.tryClaim(EnvelopeDescriptor.MSG_TYPE_MESSAGE, length);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            return false;
        }
        try {
            codec.encode(e, epoch, ring.buffer(), index);
        } catch (RuntimeException ex) {
            ring.abort(index);
            throw ex;
        }
        ring.commit(index);
        return true;
    }
}
