package io.stator.benchmarks.driver;

import java.util.Arrays;

/**
 * Every latency of a run, kept exactly (one {@code long} per message, so percentiles need no bucketing). Written
 * by one thread; read with {@link #percentileMillis} after that thread has finished.
 */
final class LatencyRecorder {
    private final long[] nanos;
    private int size;
    private boolean sorted;

    /** @param capacity the most latencies it keeps; later ones are dropped */
    LatencyRecorder(long capacity) {
        this.nanos = new long[(int) capacity];
    }

    /** Records one latency in nanoseconds. */
    void record(long latencyNanos) {
        if (size < nanos.length) {
            nanos[size++] = latencyNanos;
            sorted = false;
        }
    }

    /** @return how many latencies were recorded */
    int size() {
        return size;
    }

    /**
     * @param quantile in {@code (0, 1]}, e.g. 0.99
     * @return the latency at that quantile (nearest rank) in milliseconds, or NaN if none was recorded
     */
    double percentileMillis(double quantile) {
        if (size == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(nanos, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(quantile * size);
        return nanos[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
    }
}
