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
     * Takes snapshot {@code snapshotId} of this partition: flushes the write-back cache and takes a RocksDB
     * checkpoint on the calling thread (the short synchronous part), then copies the checkpoint to the
     * snapshot store in the background.
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
