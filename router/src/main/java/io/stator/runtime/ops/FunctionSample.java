package io.stator.runtime.ops;

import io.stator.runtime.metrics.FunctionCounters;
import io.stator.runtime.metrics.LatencyHistogram;
import io.stator.sdk.TypeName;

/**
 * One function type's counters summed over every partition, as read by one scrape. Built on the scraping
 * thread from the partitions' racily-read {@link FunctionCounters}; never touched by a partition thread.
 */
final class FunctionSample {
    private final TypeName type;
    private final boolean remote;
    private long messagesIn;
    private long sentLocal;
    private long sentToOtherPartitions;
    private long egress;
    private long failures;
    private long deadLettered;
    private final long[] latencyBuckets = new long[LatencyHistogram.BUCKETS];
    private long latencySumNanos;
    private long latencyCount;

    FunctionSample(TypeName type, boolean remote) {
        this.type = type;
        this.remote = remote;
    }

    /** Adds one partition's counters for this type. */
    void add(FunctionCounters c) {
        messagesIn += c.messagesIn();
        sentLocal += c.sentLocal();
        sentToOtherPartitions += c.sentToOtherPartitions();
        egress += c.egress();
        failures += c.failures();
        deadLettered += c.deadLettered();
        LatencyHistogram h = c.latency();
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            latencyBuckets[i] += h.bucketCount(i);
        }
        latencySumNanos += h.sumNanos();
        latencyCount += h.count();
    }

    TypeName type() {
        return type;
    }

    /** @return "remote" or "embedded" */
    String kind() {
        return remote ? "remote" : "embedded";
    }

    boolean remote() {
        return remote;
    }

    long messagesIn() {
        return messagesIn;
    }

    long sentLocal() {
        return sentLocal;
    }

    long sentToOtherPartitions() {
        return sentToOtherPartitions;
    }

    long egress() {
        return egress;
    }

    long failures() {
        return failures;
    }

    long deadLettered() {
        return deadLettered;
    }

    /** @return calls counted in latency bucket {@code i}: values in {@code [2^i, 2^(i+1))} ns */
    long latencyBucket(int i) {
        return latencyBuckets[i];
    }

    long latencySumNanos() {
        return latencySumNanos;
    }

    /**
     * @return the number of calls with a recorded latency: the sum of the buckets, which (read racily) may differ
     *     by a call in flight from the histogram's own count; the buckets are what a histogram must agree with
     */
    long latencyCount() {
        long total = 0;
        for (long c : latencyBuckets) {
            total += c;
        }
        return total;
    }
}
