package io.stator.state;

/**
 * Counters of one partition's state store, for metrics and the status page.
 *
 * <p>Any thread may read them while the partition thread writes them. The cache and RocksDB counters are plain
 * fields written only by the partition thread and read without synchronisation: a reader sees a recent, maybe
 * slightly stale value, and counters are not consistent with each other at one instant. The snapshot figures
 * are written by the upload thread through volatile fields.
 */
public interface StateMetrics {
    /** @return reads answered by the write-back cache, including cached absences */
    long cacheHits();

    /** @return reads that went to RocksDB */
    long cacheMisses();

    /** @return {@code hits / (hits + misses)}, or 0 before the first read */
    default double cacheHitRate() {
        long hits = cacheHits();
        long total = hits + cacheMisses();
        return total == 0 ? 0.0 : (double) hits / total;
    }

    /** @return entries in the write-back cache, present or absent */
    int cacheEntries();

    /** @return estimated heap bytes of the write-back cache */
    long cacheBytes();

    /** @return cache entries RocksDB has not seen yet */
    int dirtyEntries();

    /** @return entries dropped from the cache to respect its bounds */
    long evictions();

    /** @return expired values deleted by the expiry sweep or on read */
    long expiredPurged();

    /** @return RocksDB's live SST bytes ({@code rocksdb.live-sst-files-size}) as of the last flush */
    long liveSstBytes();

    /**
     * @return nanoseconds the partition thread spent in the last snapshot: freezing the dirty entries, plus
     *         waiting for the previous snapshot's checkpoint if it was still running
     */
    long lastSnapshotSyncNanos();

    /**
     * @return how many times the partition thread waited for a snapshot's background checkpoint: because the
     *         write-back cache reached 1.5 times its bounds meanwhile, or because the next snapshot came first
     */
    long snapshotStalls();

    /** @return the longest such wait in nanoseconds, 0 if none */
    long longestSnapshotStallNanos();

    /**
     * @return whether the store's writer is still writing the last snapshot's entries: a snapshot started now would
     *         make the partition thread wait for it, a stall. Any thread may ask.
     */
    default boolean snapshotWriting() {
        return false;
    }

    /**
     * @return how many writes of evicted entries RocksDB refused (a full disk, say); the entries stayed cached and
     *         dirty, to be written again
     */
    default long writeFailures() {
        return 0;
    }

    /** @return nanoseconds the last successful snapshot's background copy took */
    long lastSnapshotAsyncNanos();

    /** @return bytes the last successful snapshot copied to the snapshot store */
    long lastSnapshotBytes();

    /** @return snapshots of this partition that reached the snapshot store */
    long snapshotsCompleted();

    /** @return snapshots of this partition that failed */
    long snapshotsFailed();
}
