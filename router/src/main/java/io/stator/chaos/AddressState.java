package io.stator.chaos;

/**
 * The state a chaos function keeps per address, the same whatever order its effects arrived in: how many effects
 * it applied, the sum of their values, and the sum of their fingerprints (so a lost effect and a duplicated one
 * never cancel out unnoticed).
 *
 * @param count       effects applied
 * @param sum         the sum of their values
 * @param fingerprint the sum of {@link #fingerprint(long, int)} over them (wrapping)
 */
record AddressState(long count, long sum, long fingerprint) {
    /** No effect yet. */
    static final AddressState EMPTY = new AddressState(0, 0, 0);

    /** @return this state after effect {@code step} of {@code command}, adding {@code value} */
    AddressState apply(long command, int step, long value) {
        return new AddressState(count + 1, sum + value, fingerprint + fingerprint(command, step));
    }

    /** @return a well-mixed number for one effect (SplitMix64's finalizer) */
    static long fingerprint(long command, int step) {
        long z = command * 64 + step + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "count=" + count + " sum=" + sum + " fingerprint=" + Long.toHexString(fingerprint);
    }
}
