package io.stator.runtime.internal;

/**
 * A partition's counters. Written only by the partition thread and read racily by others (monitoring), so a
 * reader may see slightly stale values; none is used for control.
 */
public final class PartitionCounters {
    long messagesIn;
    long remoteCalls;
    long snapshots;
    long callsCompleted;
    long egressOut;
    long deadLettered;
    long failedCalls;
    long backpressureEvents;
    int overflow;
    int delayedPending;
    int parkedAddresses;

    /** @return messages dispatched to functions (including those that waited for a parked address) */
    public long messagesIn() {
        return messagesIn;
    }

    /** @return snapshots this partition has taken its part of */
    public long snapshots() {
        return snapshots;
    }

    /** @return messages handed to remote functions */
    public long remoteCalls() {
        return remoteCalls;
    }

    /** @return calls whose effects were applied */
    public long callsCompleted() {
        return callsCompleted;
    }

    /** @return egress records emitted by functions */
    public long egressOut() {
        return egressOut;
    }

    /** @return messages sent to the dead-letter egress */
    public long deadLettered() {
        return deadLettered;
    }

    /** @return calls that failed */
    public long failedCalls() {
        return failedCalls;
    }

    /** @return times a send found the target inbox full */
    public long backpressureEvents() {
        return backpressureEvents;
    }

    /** @return envelopes waiting for a full inbox */
    public int overflow() {
        return overflow;
    }

    /** @return delayed messages not yet due */
    public int delayedPending() {
        return delayedPending;
    }

    /** @return addresses with an asynchronous call running */
    public int parkedAddresses() {
        return parkedAddresses;
    }
}
