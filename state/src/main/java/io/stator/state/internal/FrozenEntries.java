package io.stator.state.internal;

import java.util.Arrays;

/**
 * The dirty entries a {@link WriteBackCache} froze for one snapshot: a detached dirty list that the snapshot's
 * writer thread walks while the partition thread goes on (it never modifies a frozen entry; see
 * {@link WriteBackCache#freeze}).
 */
final class FrozenEntries {
    private final CacheEntry head;
    private final int count;

    FrozenEntries(CacheEntry head, int count) {
        this.head = head;
        this.count = count;
    }

    /** @return how many entries were frozen */
    int count() {
        return count;
    }

    /**
     * @return the frozen entries in RocksDB's key order (unsigned bytewise), as an SST file needs them; a key is on
     *         a dirty list at most once, so the keys are distinct
     */
    CacheEntry[] sortedByKey() {
        CacheEntry[] sorted = new CacheEntry[count];
        int i = 0;
        for (CacheEntry e = head; e != null; e = e.dirtyNext) {
            sorted[i++] = e;
        }
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.key, b.key));
        return sorted;
    }

    /**
     * Unlinks the list once RocksDB holds it, so that clean entries do not keep evicted ones reachable. Only the
     * writer thread calls it, before it reports success; after a failure the list stays for
     * {@link WriteBackCache#thaw}.
     */
    void release() {
        CacheEntry e = head;
        while (e != null) {
            CacheEntry next = e.dirtyNext;
            e.dirtyNext = null;
            e = next;
        }
    }
}
