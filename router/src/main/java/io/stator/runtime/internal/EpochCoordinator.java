package io.stator.runtime.internal;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the runtime from epoch to epoch: every interval it puts barrier {@code n} into every partition's inbox;
 * once every partition has passed barrier {@code n}, all records of epoch {@code n - 1} have been emitted and
 * the {@link EpochCommitter} commits that epoch, with the ingress positions the partitions reported at barrier
 * {@code n}. No partition waits for another.
 *
 * <p>Today this gives read-committed egress and a consistent clean stop. Snapshots of state and channel
 * messages at each barrier (exactly-once through crashes) build on the same barriers.
 */
public final class EpochCoordinator implements Agent, BarrierListener {
    private static final Logger LOG = LoggerFactory.getLogger(EpochCoordinator.class);

    private final ManyToOneRingBuffer[] inboxes;
    private final EpochCommitter committer;
    private final long[] positions;
    private final long intervalNanos;
    private final AtomicLongArray passed;
    private final boolean[] delivered;
    private final BarrierListener next;
    private long current;
    private volatile long committed;
    private long nextBarrierAt;

    /**
     * @param startEpoch the epoch partitions start in; nothing before it is committed by this coordinator
     * @param next       told of every barrier a partition passes (e.g. to record ingress positions), may be null
     */
    public EpochCoordinator(ManyToOneRingBuffer[] inboxes, EpochCommitter committer, long intervalMillis,
            long startEpoch, BarrierListener next) {
        this.inboxes = inboxes;
        this.committer = committer;
        this.positions = new long[inboxes.length];
        java.util.Arrays.fill(positions, -1);
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.passed = new AtomicLongArray(inboxes.length);
        for (int i = 0; i < inboxes.length; i++) {
            passed.set(i, startEpoch);
        }
        this.delivered = new boolean[inboxes.length];
        java.util.Arrays.fill(delivered, true);
        this.next = next;
        this.current = startEpoch;
        this.committed = startEpoch - 1;
        this.nextBarrierAt = System.nanoTime() + intervalNanos;
    }

    @Override
    public String roleName() {
        return "stator-epoch-coordinator";
    }

    @Override
    public int doWork() {
        int work = deliverBarriers();
        if (allPassed(current) && committed < current - 1) {
            committed = current - 1;
            long[] snapshot = new long[positions.length];
            synchronized (positions) {
                System.arraycopy(positions, 0, snapshot, 0, positions.length);
            }
            committer.commit(committed, snapshot);
            work++;
        }
        if (intervalNanos > 0 && System.nanoTime() >= nextBarrierAt && allPassed(current)) {
            startEpoch();
            work++;
        }
        return work;
    }

    /** Starts the next epoch now (a clean stop uses it to commit everything emitted so far). */
    public long startEpoch() {
        current++;
        java.util.Arrays.fill(delivered, false);
        nextBarrierAt = System.nanoTime() + intervalNanos;
        deliverBarriers();
        return current;
    }

    /** @return whether every partition has passed barrier {@code epoch} and its predecessor epoch is committed */
    public boolean isCommitted(long epoch) {
        return committed >= epoch;
    }

    /** @return the epoch of the last barrier sent */
    public long currentEpoch() {
        return current;
    }

    /** @return the last committed epoch */
    public long committedEpoch() {
        return committed;
    }

    @Override
    public void onBarrier(int partition, long epoch, long ingressPosition) {
        synchronized (positions) {
            positions[partition] = ingressPosition;
        }
        passed.set(partition, epoch); // after the position: a reader that sees the epoch sees the position
        if (next != null) {
            next.onBarrier(partition, epoch, ingressPosition);
        }
    }

    private boolean allPassed(long epoch) {
        for (int i = 0; i < passed.length(); i++) {
            if (passed.get(i) < epoch) {
                return false;
            }
        }
        return true;
    }

    private int deliverBarriers() {
        int work = 0;
        for (int p = 0; p < inboxes.length; p++) {
            if (delivered[p]) {
                continue;
            }
            int index = inboxes[p].tryClaim(EnvelopeDescriptor.MSG_TYPE_BARRIER, EnvelopeDescriptor.BARRIER_LENGTH);
            if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
                continue; // the inbox is full; try again next cycle
            }
            inboxes[p].buffer().putLong(index, current, ByteOrder.LITTLE_ENDIAN);
            inboxes[p].commit(index);
            delivered[p] = true;
            work++;
        }
        if (work > 0 && LOG.isTraceEnabled()) {
            LOG.trace("barrier {} delivered to {} partitions", current, work);
        }
        return work;
    }
}
