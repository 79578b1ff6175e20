package io.stator.runtime.internal;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * A partition thread's idle strategy that others can cut short: with nothing to do it parks, for
 * {@value #MIN_PARK_NANOS} ns at first and twice as long after each idle cycle up to {@value #MAX_PARK_NANOS} ns;
 * once a park is {@value #WAKEABLE_PARK_NANOS} ns or longer, whoever gives the partition work (an ingress append in
 * this process, another partition's inbox write, a remote reply, a snapshot barrier) calls {@link #wake}, which
 * unparks it.
 *
 * <p>Why: a partition that polls by timer alone wakes every ~55 µs at first (the kernel's 50 µs timer slack makes
 * even a 1 µs park that long) and every millisecond at most; at a few thousand messages per second, each message
 * cost it several empty wake-ups, most of its CPU (RESULTS.md, "Session 23"). Short parks are not woken: input
 * that comes that often is found by the next look, and an unpark (a system call on the giver's thread: the HTTP
 * ingress's IO thread, say) would cost more than it saves. A wake that races the park is not lost for longer than
 * the park: {@link #MAX_PARK_NANOS} bounds it, as it bounds input nobody wakes for (another process appending to
 * the log, a timer coming due).
 */
public final class PartitionIdle implements IdleStrategy {
    /** The first park after work. */
    static final long MIN_PARK_NANOS = 50_000;
    /** Parks this long or longer are cut short by {@link #wake}. */
    static final long WAKEABLE_PARK_NANOS = 200_000;
    /** The longest park: how late an idle partition may notice input that did not wake it. */
    static final long MAX_PARK_NANOS = 1_000_000;

    private final long minParkNanos;
    private final long wakeableParkNanos;
    private final long maxParkNanos;
    /** The partition thread while it is in a wakeable park, else null. */
    private volatile Thread parked;
    /** Set once the partition is being stopped: no more long parks for its thread to finish. */
    private volatile boolean stopping;
    private long parkNanos;

    /** The runtime's default: {@value #MIN_PARK_NANOS}, {@value #WAKEABLE_PARK_NANOS}, {@value #MAX_PARK_NANOS} ns. */
    public PartitionIdle() {
        this(MIN_PARK_NANOS, WAKEABLE_PARK_NANOS, MAX_PARK_NANOS);
    }

    /**
     * @param minParkNanos      the first park after work, at least 1
     * @param wakeableParkNanos parks this long or longer are cut short by {@link #wake}
     * @param maxParkNanos      the longest park, at least {@code minParkNanos}
     */
    public PartitionIdle(long minParkNanos, long wakeableParkNanos, long maxParkNanos) {
        if (minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("parks must be 1 ns <= min <= max, were " + minParkNanos + " and "
                    + maxParkNanos);
        }
        this.minParkNanos = minParkNanos;
        this.wakeableParkNanos = wakeableParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (stopping) {
            LockSupport.parkNanos(Math.min(minParkNanos, MIN_PARK_NANOS));
            return;
        }
        if (parkNanos >= wakeableParkNanos) {
            parked = Thread.currentThread();
            LockSupport.parkNanos(this, parkNanos);
            parked = null;
        } else {
            LockSupport.parkNanos(parkNanos);
        }
        parkNanos = Math.min(parkNanos << 1, maxParkNanos);
    }

    @Override
    public void reset() {
        parkNanos = minParkNanos;
    }

    /** Any thread: ends the partition's park if it is a long one; costs a volatile read otherwise. */
    public void wake() {
        Thread t = parked;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Any thread: the partition is being stopped (its runner is about to wait for its thread to end), so it parks
     * briefly from now on and leaves its current park at once.
     */
    public void stop() {
        stopping = true;
        wake();
    }

    @Override
    public String alias() {
        return "partition";
    }
}
