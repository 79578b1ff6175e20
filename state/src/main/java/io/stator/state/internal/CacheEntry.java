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
 * "Dirty" is decided by {@link #dirtyEpoch} against the cache's epochs (see {@link WriteBackCache}), so that a
 * snapshot can hand a whole dirty list to a background writer in constant time and the entries become clean
 * without being visited again.
 *
 * <p>An entry sits on three intrusive lists, so that no list node is ever allocated: its hash bucket's chain, the
 * insertion-order list that eviction walks, and, while dirty, a dirty list. Only the partition thread touches
 * it, with one exception: while a snapshot's writer thread reads a frozen entry ({@link #key}, {@link #value},
 * {@link #typeHash}, {@link #expiresAt}) and unlinks it from its frozen list ({@link #dirtyNext},
 * {@link #dirtyPrev}), the partition thread leaves those fields alone and replaces the entry in the cache instead
 * of changing it.
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
    /** The cache epoch in which the entry was last made dirty, 0 if never; dirty only if that epoch is unwritten. */
    long dirtyEpoch;
    /** Set when a frozen entry was replaced by a newer copy: it is out of the cache and must not be re-dirtied. */
    boolean superseded;
    /**
     * On such a copy: the frozen epoch of the entry it replaced, so that eviction leaves it alone until that epoch
     * is written (its key's older value is still on its way to RocksDB); 0 otherwise.
     */
    long copyOfEpoch;
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
