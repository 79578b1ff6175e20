package io.stator.state;

/**
 * What one partition's snapshot put in the snapshot store.
 *
 * @param snapshotId      the snapshot
 * @param partition       the partition
 * @param keyGroups       the key groups it holds
 * @param files           how many checkpoint files were copied
 * @param bytes           how many bytes were copied
 * @param syncNanos       time the partition thread spent (freezing the dirty cache entries)
 * @param asyncNanos      time the background copy took, manifest included
 */
public record SnapshotResult(
        long snapshotId, int partition, KeyGroupRange keyGroups, int files, long bytes, long syncNanos,
        long asyncNanos) {
}
