package io.stator.runtime.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hands messages too large for an inbox ring (over 1/8 of its capacity) from one partition to another by
 * reference. The sender queues its own copy of the envelope here, for that target and from itself, then writes a
 * small record of type {@link EnvelopeDescriptor#MSG_TYPE_LARGE_MESSAGE} naming itself into the target's ring; the
 * target takes the envelope when it reads that record. The record keeps the message's place among everything else
 * the sender wrote to that ring, so per-sender order and snapshot markers hold as for any message. Each queue has
 * one writer and one reader.
 */
public final class LargeMessages {
    private final int partitions;
    private final Queue<Envelope>[] queues;

    /** @param partitions the partition count */
    @SuppressWarnings("unchecked")
    public LargeMessages(int partitions) {
        this.partitions = partitions;
        this.queues = new Queue[partitions * partitions];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ConcurrentLinkedQueue<>();
        }
    }

    /** Queues {@code e} from {@code sender} for {@code target}; call before its ring record is committed. */
    void offer(int target, int sender, Envelope e) {
        queues[target * partitions + sender].add(e);
    }

    /**
     * @return the next envelope {@code sender} handed to {@code target}
     * @throws IllegalStateException if there is none: a ring record without its envelope
     */
    Envelope take(int target, int sender) {
        Envelope e = queues[target * partitions + sender].poll();
        if (e == null) {
            throw new IllegalStateException("partition " + target + " read a large message record from partition "
                    + sender + " without its envelope");
        }
        return e;
    }
}
