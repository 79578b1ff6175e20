package io.stator.state.internal;

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
     * Writes every frozen entry through {@code writer}, committing every {@code batchSize} entries so that one
     * native write batch stays small; atomicity across batches is not needed, since nothing reads the result
     * before the snapshot's checkpoint.
     */
    void writeTo(DirtyEntryWriter writer, int batchSize) {
        int inBatch = 0;
        for (CacheEntry e = head; e != null; e = e.dirtyNext) {
            writer.append(e);
            if (++inBatch == batchSize) {
                writer.commit();
                inBatch = 0;
            }
        }
        writer.commit();
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
