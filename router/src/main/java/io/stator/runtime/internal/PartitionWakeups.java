package io.stator.runtime.internal;

/**
 * The partitions' {@link PartitionIdle}s, for those who give them work: a partition without one (a custom idle
 * strategy, or partitions driven by the caller's thread) is not woken and finds its work at its next look.
 */
public final class PartitionWakeups {
    private final PartitionIdle[] idles;

    /** @param partitions how many partitions */
    public PartitionWakeups(int partitions) {
        this.idles = new PartitionIdle[partitions];
    }

    /** Registers partition {@code partition}'s idle strategy, before its thread starts. */
    public void register(int partition, PartitionIdle idle) {
        idles[partition] = idle;
    }

    /** Wakes one partition if it is parked. Any thread. */
    public void wake(int partition) {
        PartitionIdle idle = idles[partition];
        if (idle != null) {
            idle.wake();
        }
    }

    /** Ends every partition's long parks for good, before their runners are closed. Any thread. */
    public void stopAll() {
        for (PartitionIdle idle : idles) {
            if (idle != null) {
                idle.stop();
            }
        }
    }

    /** Wakes every parked partition. Any thread. */
    public void wakeAll() {
        for (PartitionIdle idle : idles) {
            if (idle != null) {
                idle.wake();
            }
        }
    }
}
