package io.stator.runtime.metrics;

/**
 * A latency histogram with power-of-two buckets over nanoseconds: bucket {@code i} counts values in
 * {@code [2^i, 2^(i+1))} ns, so 40 buckets span 1 ns to ~18 minutes with a factor-of-two resolution. One writer
 * (a partition thread) records without locks or allocation; readers (metrics scrapes) read racily and may see a
 * count that a concurrent record has not yet added to the sum.
 */
public final class LatencyHistogram {
    /** Number of buckets. */
    public static final int BUCKETS = 40;

    private final long[] counts = new long[BUCKETS];
    private long sumNanos;
    private long count;

    /** Records one latency; single writer only. */
    public void record(long nanos) {
        int bucket = nanos <= 1 ? 0 : Math.min(BUCKETS - 1, 63 - Long.numberOfLeadingZeros(nanos));
        counts[bucket]++;
        sumNanos += Math.max(0, nanos);
        count++;
    }

    /** @return values recorded in bucket {@code i} */
    public long bucketCount(int i) {
        return counts[i];
    }

    /** @return the exclusive upper bound of bucket {@code i}, in nanoseconds */
    public static long bucketUpperBoundNanos(int i) {
        return 1L << (i + 1);
    }

    /** @return the sum of all recorded values, nanoseconds */
    public long sumNanos() {
        return sumNanos;
    }

    /** @return how many values were recorded */
    public long count() {
        return count;
    }

    /**
     * @param quantile between 0 and 1
     * @return the upper bound (ns) of the bucket holding that quantile, or 0 when empty
     */
    public long quantileUpperBoundNanos(double quantile) {
        long total = 0;
        long[] snapshot = counts.clone();
        for (long c : snapshot) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return bucketUpperBoundNanos(i);
            }
        }
        return bucketUpperBoundNanos(BUCKETS - 1);
    }
}
