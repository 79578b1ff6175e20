package io.stator.state;

/**
 * A partition's {@link KeyedStateStore} that can be snapshotted and reports metrics. Same threading rule:
 * only the owning partition thread calls it; {@link #metrics()} may be read by any thread.
 */
public interface SnapshottableStateStore extends KeyedStateStore {
    /** @return the partition this store belongs to */
    int partition();

    /** @return the key groups this store accepts */
    KeyGroupRange keyGroups();

    /**
     * Takes snapshot {@code snapshotId} of this partition. On the calling thread it only freezes the write-back
     * cache's dirty entries (constant time, after waiting for the previous snapshot's writer if that is still
     * running); a background thread stores them (as a changelog of the partition's writes, or with a RocksDB
     * checkpoint) and writes them to RocksDB. Reads and writes go on meanwhile and are not part of this snapshot;
     * until RocksDB holds the frozen entries they stay in the cache (see the store's documentation for the
     * bounds).
     *
     * <p>Never throws for a snapshot failure: the returned handle's completion fails instead, and the store
     * remains usable.
     *
     * @param snapshotId the snapshot id, not negative; ids should grow over time (retention keeps the largest)
     * @throws IllegalStateException if the backend has no snapshot store configured
     */
    SnapshotHandle snapshot(long snapshotId);

    /**
     * As {@link #snapshot(long)}, and if {@code checkpoint}, the snapshot holds a checkpoint of its own rather than
     * a changelog over an earlier one: slower to take, faster to restore. For the last snapshot before a stop and
     * for savepoints. Stores that have no changelog ignore the flag.
     */
    default SnapshotHandle snapshot(long snapshotId, boolean checkpoint) {
        return snapshot(snapshotId);
    }

    /** @return this partition's counters, readable from any thread */
    StateMetrics metrics();
}
