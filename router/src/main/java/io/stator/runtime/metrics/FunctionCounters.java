package io.stator.runtime.metrics;

import io.stator.sdk.TypeName;

/**
 * What one partition did for one function type. Written only by that partition's thread (plain fields, no
 * locks, no allocation per message) and read racily by metrics scrapes.
 */
public final class FunctionCounters {
    private final TypeName type;
    private final boolean remote;
    long messagesIn;
    long sentLocal;
    long sentToOtherPartitions;
    long egress;
    long failures;
    long deadLettered;
    private final LatencyHistogram latency = new LatencyHistogram();

    public FunctionCounters(TypeName type, boolean remote) {
        this.type = type;
        this.remote = remote;
    }

    public TypeName type() {
        return type;
    }

    /** @return whether the function type is remote (its calls are counted by the remote dispatcher) */
    public boolean remote() {
        return remote;
    }

    /** @return messages dispatched to the function type */
    public long messagesIn() {
        return messagesIn;
    }

    /** @return messages its calls sent to addresses on the same partition */
    public long sentLocal() {
        return sentLocal;
    }

    /** @return messages its calls sent to other partitions */
    public long sentToOtherPartitions() {
        return sentToOtherPartitions;
    }

    /** @return egress records its calls emitted */
    public long egress() {
        return egress;
    }

    /** @return calls that failed (exception, failed future, misuse) */
    public long failures() {
        return failures;
    }

    /** @return its messages sent to the dead-letter egress */
    public long deadLettered() {
        return deadLettered;
    }

    /**
     * @return call latency: for an embedded function, from the call's start to its effects applied; for a remote
     *     one, a value per applied reply, from its batch's first send to its effects applied
     */
    public LatencyHistogram latency() {
        return latency;
    }

    // single-writer updates, called by the partition thread
    public void onMessage() {
        messagesIn++;
    }

    public void onSent(boolean local) {
        if (local) {
            sentLocal++;
        } else {
            sentToOtherPartitions++;
        }
    }

    public void onEgress() {
        egress++;
    }

    public void onFailure() {
        failures++;
    }

    public void onDeadLetter() {
        deadLettered++;
    }
}
