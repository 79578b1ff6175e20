package io.stator.state.internal;

/**
 * Makes dirty cache entries durable in one batch: the cache appends every entry it is about to flush or evict,
 * then commits; it marks the entries clean or drops them only after the commit returned.
 */
interface DirtyEntryWriter {
    /** Adds the entry's current content (a put, or a delete if absent) to the pending batch. */
    void append(CacheEntry entry);

    /**
     * Writes the pending batch atomically and starts a new one.
     *
     * @throws io.stator.state.StateStoreException if the write failed; the batch is discarded and the entries
     *                                             stay dirty
     */
    void commit();
}
