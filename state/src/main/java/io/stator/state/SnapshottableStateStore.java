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
     * cache's dirty entries (constant time, after waiting for the previous snapshot's checkpoint if that is still
     * running); a background thread writes them to RocksDB and takes the checkpoint, then the copy to the
     * snapshot store follows. Reads and writes go on meanwhile and are not part of this snapshot; until the
     * checkpoint exists they stay in the cache (see the store's documentation for the bounds).
     *
     * <p>Never throws for a snapshot failure: the returned handle's completion fails instead, and the store
     * remains usable.
     *
     * @param snapshotId the snapshot id, not negative; ids should grow over time (retention keeps the largest)
     * @throws IllegalStateException if the backend has no snapshot store configured
     */
    SnapshotHandle snapshot(long snapshotId);

    /** @return this partition's counters, readable from any thread */
    StateMetrics metrics();
}
