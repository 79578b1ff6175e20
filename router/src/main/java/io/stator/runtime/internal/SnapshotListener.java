package io.stator.runtime.internal;

import io.stator.runtime.snapshot.PartitionSnapshot;
import io.stator.state.SnapshotHandle;

/** Told, on a partition's thread, that the partition's part of a snapshot is complete (channel state included). */
@FunctionalInterface
public interface SnapshotListener {
    /**
     * @param snapshot    what the partition recorded besides its state
     * @param stateUpload the state checkpoint's upload, or null when the state backend keeps no snapshots
     */
    void onPartitionSnapshot(PartitionSnapshot snapshot, SnapshotHandle stateUpload);
}
