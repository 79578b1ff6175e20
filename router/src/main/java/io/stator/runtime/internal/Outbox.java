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

    private final ManyToOneRingBuffer[] inboxes;
    /** Where envelopes larger than a ring's maximum message go, by reference; this partition's index. */
    private final LargeMessages large;
    private final int self;
    /** Per target: envelopes and markers waiting for room, in send order. */
    private final ArrayDeque<Object>[] overflow;
    private final EnvelopeCodec codec;
    private int overflowSize;
    private long backpressureEvents;
    /** Targets written to since the last {@link #wakeWritten}, once each: they may be parked with work now. */
    private final boolean[] written;
    private final int[] writtenList;
    private int writtenCount;

    /** A snapshot marker waiting in an overflow queue behind the envelopes sent before it. */
    private record Marker(long snapshotId, int from) {
    }

    @SuppressWarnings("unchecked")
    Outbox(int self, ManyToOneRingBuffer[] inboxes, LargeMessages large, EnvelopeCodec codec) {
        this.self = self;
        this.inboxes = inboxes;
        this.large = large;
        this.codec = codec;
        this.written = new boolean[inboxes.length];
        this.writtenList = new int[inboxes.length];
        this.overflow = new ArrayDeque[inboxes.length];
        for (int i = 0; i < inboxes.length; i++) {
            overflow[i] = new ArrayDeque<>();
        }
    }

    /** Wakes the partitions written to since the last call (once per duty cycle, not per message). */
    void wakeWritten(PartitionWakeups wakeups) {
        for (int i = 0; i < writtenCount; i++) {
            int target = writtenList[i];
            written[target] = false;
            wakeups.wake(target);
        }
        writtenCount = 0;
    }

    private void markWritten(int target) {
        if (!written[target]) {
            written[target] = true;
            writtenList[writtenCount++] = target;
        }
    }

    /** Sends {@code e} to partition {@code target}'s inbox, or queues it if the inbox is full. */
    int send(int target, Envelope e) {
        ArrayDeque<Object> waiting = overflow[target];
        if (!waiting.isEmpty()) {
            waiting.add(e);
            overflowSize++;
            return QUEUED;
        }
        if (tryWrite(target, e)) {
            return SENT;
        }
        backpressureEvents++;
        waiting.add(e);
        overflowSize++;
        return QUEUED;
    }

    /**
     * Sends snapshot marker {@code snapshotId} to partition {@code target}, behind every envelope already sent
     * there (waiting ones included), so the receiver knows this partition's pre-snapshot messages have all
     * arrived.
     */
    void sendMarker(int target, long snapshotId, int from) {
        ArrayDeque<Object> waiting = overflow[target];
        if (waiting.isEmpty() && tryWriteMarker(target, snapshotId, from)) {
            return;
        }
        waiting.add(new Marker(snapshotId, from));
        overflowSize++;
    }

    /** Moves waiting envelopes and markers into their inboxes while there is room. @return how many moved */
    int flush() {
        if (overflowSize == 0) {
            return 0;
        }
        int moved = 0;
        for (int target = 0; target < overflow.length; target++) {
            ArrayDeque<Object> waiting = overflow[target];
            Object head;
            while ((head = waiting.peek()) != null) {
                boolean written = head instanceof Marker m
                        ? tryWriteMarker(target, m.snapshotId(), m.from())
                        : tryWrite(target, (Envelope) head);
                if (!written) {
                    break;
                }
                waiting.poll();
                overflowSize--;
                moved++;
            }
        }
        return moved;
    }

    /** @return copies of the envelopes waiting for room, per target partition (markers left out) */
    java.util.List<Envelope> waitingEnvelopes() {
        java.util.List<Envelope> out = new java.util.ArrayList<>();
        for (ArrayDeque<Object> waiting : overflow) {
            for (Object o : waiting) {
                if (o instanceof Envelope e) {
                    out.add(e);
                }
            }
        }
        return out;
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

    private boolean tryWriteMarker(int target, long snapshotId, int from) {
        ManyToOneRingBuffer ring = inboxes[target];
        int index = ring.tryClaim(EnvelopeDescriptor.MSG_TYPE_MARKER, EnvelopeDescriptor.MARKER_LENGTH);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            return false;
        }
        ring.buffer().putLong(index, snapshotId, java.nio.ByteOrder.LITTLE_ENDIAN);
        ring.buffer().putInt(index + 8, from, java.nio.ByteOrder.LITTLE_ENDIAN);
        ring.commit(index);
        markWritten(target);
        return true;
    }

    private boolean tryWrite(int target, Envelope e) {
        ManyToOneRingBuffer ring = inboxes[target];
        int length = codec.encodedLength(e);
        if (length > ring.maxMsgLength()) {
            return tryHandOver(target, ring, e);
        }
        int index = ring.tryClaim(EnvelopeDescriptor.MSG_TYPE_MESSAGE, length);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            return false;
        }
        try {
            codec.encode(e, e.epoch, ring.buffer(), index);
        } catch (RuntimeException ex) {
            ring.abort(index);
            throw ex;
        }
        ring.commit(index);
        markWritten(target);
        return true;
    }

    /**
     * Writes a large message's record, its envelope handed over by reference: a copy, since the sender may still
     * hold the one it routed (a function forwarding the message it got), and the copy carries the epoch stamped now.
     */
    private boolean tryHandOver(int target, ManyToOneRingBuffer ring, Envelope e) {
        int index = ring.tryClaim(EnvelopeDescriptor.MSG_TYPE_LARGE_MESSAGE, EnvelopeDescriptor.LARGE_MESSAGE_LENGTH);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            return false;
        }
        Envelope copy = new Envelope(e.keyGroup, e.target, e.caller, e.valueType, e.value);
        copy.epoch = e.epoch;
        large.offer(target, self, copy); // before the commit: the reader takes it once it sees the record
        ring.buffer().putInt(index, self, java.nio.ByteOrder.LITTLE_ENDIAN);
        ring.commit(index);
        markWritten(target);
        return true;
    }
}
