package io.stator.state;

/**
 * What a {@link StateRestorer} did.
 *
 * @param snapshotId          the snapshot restored
 * @param partitions          the partition count restored into
 * @param snapshotPartitions  the partition count the snapshot was taken with
 * @param bytesDownloaded     bytes read from the snapshot store (all verified against their CRC32C)
 * @param partitionsReused    new partitions whose key groups matched an old partition exactly, so its
 *                            checkpoint became their database unchanged
 * @param entriesRewritten    values copied key group by key group into the other new partitions
 * @param durationNanos       how long the restore took
 */
public record RestoreResult(
        long snapshotId, int partitions, int snapshotPartitions, long bytesDownloaded, int partitionsReused,
        long entriesRewritten, long durationNanos) {
}
