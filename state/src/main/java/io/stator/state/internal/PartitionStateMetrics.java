package io.stator.state.internal;

import io.stator.state.StateMetrics;
import java.util.concurrent.Future;

/**
 * The {@link StateMetrics} of one {@link RocksDbStateStore}.
 *
 * <p>Which thread writes what: the partition thread writes the cache and RocksDB counters here and in the
 * {@link WriteBackCache} as plain fields (one writer, racy readers: on a 64-bit JVM a long is read whole, and a
 * stale value is acceptable for metrics). The upload thread writes the snapshot figures, which are volatile
 * because several upload threads may take turns.
 */
final class PartitionStateMetrics implements StateMetrics {
    private final WriteBackCache cache;

    long hits;
    long misses;
    long expiredPurged;
    long liveSstBytes;
    long lastSyncNanos;
    long snapshotStalls;
    long longestStallNanos;
    long writeFailures;
    private volatile long lastAsyncNanos;
    private volatile long lastSnapshotBytes;
    private volatile long snapshotsCompleted;
    private volatile long snapshotsFailed;
    /** The last snapshot's writing of its entries, set by the partition thread; null before the first snapshot. */
    private volatile Future<?> writing;

    PartitionStateMetrics(WriteBackCache cache) {
        this.cache = cache;
    }

    /** Records a wait of the partition thread for a snapshot's checkpoint; called by the partition thread. */
    void snapshotStalled(long nanos) {
        snapshotStalls++;
        longestStallNanos = Math.max(longestStallNanos, nanos);
    }

    /** Records the writing of a snapshot's entries, just handed to the writer; called by the partition thread. */
    void writing(Future<?> written) {
        writing = written;
    }

    @Override
    public boolean snapshotWriting() {
        Future<?> w = writing;
        return w != null && !w.isDone();
    }

    /** Records a snapshot that reached the store; called by an upload thread. */
    synchronized void snapshotCompleted(long asyncNanos, long bytes) {
        lastAsyncNanos = asyncNanos;
        lastSnapshotBytes = bytes;
        snapshotsCompleted = snapshotsCompleted + 1;
    }

    /** Records a failed snapshot; called by a snapshot writer or upload thread. */
    synchronized void snapshotFailed() {
        snapshotsFailed = snapshotsFailed + 1;
    }

    @Override
    public long writeFailures() {
        return writeFailures;
    }

    @Override
    public long cacheHits() {
        return hits;
    }

    @Override
    public long cacheMisses() {
        return misses;
    }

    @Override
    public int cacheEntries() {
        return cache.size;
    }

    @Override
    public long cacheBytes() {
        return cache.bytes;
    }

    @Override
    public int dirtyEntries() {
        return cache.dirtyCount;
    }

    @Override
    public long evictions() {
        return cache.evictions;
    }

    @Override
    public long expiredPurged() {
        return expiredPurged;
    }

    @Override
    public long liveSstBytes() {
        return liveSstBytes;
    }

    @Override
    public long lastSnapshotSyncNanos() {
        return lastSyncNanos;
    }

    @Override
    public long snapshotStalls() {
        return snapshotStalls;
    }

    @Override
    public long longestSnapshotStallNanos() {
        return longestStallNanos;
    }

    @Override
    public long lastSnapshotAsyncNanos() {
        return lastAsyncNanos;
    }

    @Override
    public long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    @Override
    public long snapshotsCompleted() {
        return snapshotsCompleted;
    }

    @Override
    public long snapshotsFailed() {
        return snapshotsFailed;
    }

    @Override
    public String toString() {
        return String.format("hits=%d misses=%d hitRate=%.3f entries=%d bytes=%d dirty=%d evictions=%d purged=%d"
                        + " sstBytes=%d lastSnapshot[syncNs=%d asyncNs=%d bytes=%d] snapshots[ok=%d failed=%d"
                        + " stalls=%d longestStallNs=%d]",
                hits, misses, cacheHitRate(), cache.size, cache.bytes, cache.dirtyCount, cache.evictions,
                expiredPurged, liveSstBytes, lastSyncNanos, lastAsyncNanos, lastSnapshotBytes, snapshotsCompleted,
                snapshotsFailed, snapshotStalls, longestStallNanos);
    }
}
