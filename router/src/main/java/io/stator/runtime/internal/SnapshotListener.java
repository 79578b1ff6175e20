package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.state.SnapshotHandle;

/** Told, on a partition's thread, that the partition's part of a snapshot is complete (channel state included). */
@FunctionalInterface
public interface SnapshotListener {
    /**
     * @param snapshot    what the partition recorded besides its state
     * @param stateUpload the state checkpoint's upload, or null when the state backend keeps no snapshots
     * @param pauseNanos  how long the partition thread spent taking its part
     */
    void onPartitionSnapshot(PartitionSnapshot snapshot, SnapshotHandle stateUpload, long pauseNanos);

    /**
     * @return whether snapshot {@code snapshotId} should hold a state checkpoint of its own rather than a changelog
     *         (see {@link io.stator.state.SnapshottableStateStore#snapshot(long, boolean)}); any thread
     */
    default boolean wantsCheckpoint(long snapshotId) {
        return false;
    }

    /**
     * @return whether partition {@code partition}'s part of snapshot {@code snapshotId} should list its whole remote
     *         backlog, rather than what it accepted since the previous snapshot (see
     *         {@link PartitionSnapshot.Backlog}); any thread. True unless the listener keeps the earlier files
     */
    default boolean wantsFullBacklog(int partition, long snapshotId) {
        return true;
    }

    /**
     * @return whether partition {@code partition}'s part of snapshot {@code snapshotId} should list every pending
     *         timer, rather than the timers set and removed since the previous snapshot (see
     *         {@link PartitionSnapshot.TimerLog}); any thread. True unless the listener keeps the earlier files
     */
    default boolean wantsAllTimers(int partition, long snapshotId) {
        return true;
    }
}
