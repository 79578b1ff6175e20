package io.stator.state.internal;

/**
 * One cached state value of a {@link WriteBackCache}: present or absent, clean or dirty.
 *
 * <table>
 *   <caption>What an entry means</caption>
 *   <tr><th></th><th>clean</th><th>dirty</th></tr>
 *   <tr><th>{@code value != null}</th><td>same as RocksDB</td><td>a put RocksDB has not seen yet</td></tr>
 *   <tr><th>{@code value == null}</th><td>known absent (negative entry)</td><td>a delete RocksDB has not seen yet</td></tr>
 * </table>
 *
 * An entry sits on three intrusive lists, so that no list node is ever allocated: its hash bucket's chain, the
 * insertion-order list that eviction walks, and, while dirty, the dirty list. Only the partition thread touches it.
 */
final class CacheEntry {
    /** The encoded key ({@link StateKeyDescriptor}); never modified. */
    final byte[] key;
    /** {@link StateKeyBuffer#hash} of {@link #key}. */
    final int hash;

    /** The payload, or null if the state is absent. Shared with callers, who must not modify it. */
    byte[] value;
    /** Type hash of the value ({@link StateValueDescriptor}); meaningless when absent. */
    int typeHash;
    /** Deadline in epoch milliseconds, {@link StateValueDescriptor#NO_EXPIRY} if none. */
    long expiresAt;
    /** Whether RocksDB has not yet seen this entry's current content. */
    boolean dirty;
    /** Whether the entry was used since eviction last passed it (second-chance eviction). */
    boolean referenced;
    /** Bytes this entry counts against the cache's byte bound. */
    int weight;

    CacheEntry bucketNext;
    CacheEntry newer;
    CacheEntry older;
    CacheEntry dirtyNext;
    CacheEntry dirtyPrev;

    CacheEntry(byte[] key, int hash) {
        this.key = key;
        this.hash = hash;
    }

    /** @return whether the entry holds a value (as opposed to a known absence or a pending delete) */
    boolean present() {
        return value != null;
    }

    /** @return whether a present value has expired at {@code nowMillis} */
    boolean expiredAt(long nowMillis) {
        return nowMillis >= expiresAt;
    }
}
