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
 * @param changelogSegments   changelog segments replayed onto the old partitions' checkpoints, over all
 *                            partitions: one per snapshot since each partition's checkpoint that logged its writes
 * @param changelogFiles      the files of those segments (more than the segments when some came in parts)
 * @param changelogRecords    the writes (puts and deletes) replayed from them
 * @param durationNanos       how long the restore took
 */
public record RestoreResult(
        long snapshotId, int partitions, int snapshotPartitions, long bytesDownloaded, int partitionsReused,
        long entriesRewritten, int changelogSegments, int changelogFiles, long changelogRecords,
        long durationNanos) {
}
