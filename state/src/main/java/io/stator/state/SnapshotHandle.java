package io.stator.state;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A snapshot of one partition that has been taken and is being written: the synchronous part is over when the
 * handle exists; the background write, checkpoint and copy to the {@link SnapshotStore} complete
 * {@link #completion()}.
 *
 * <p>If the snapshot failed (RocksDB could not checkpoint, the store is full, ...), {@link #completion()}
 * completes exceptionally; the state store itself is unaffected and the next snapshot may succeed. The future
 * completes on a snapshot upload thread: callbacks attached to it run there and must not block it for long.
 */
public final class SnapshotHandle {
    private final long snapshotId;
    private final int partition;
    private final long syncNanos;
    private final CompletableFuture<SnapshotResult> completion;

    /**
     * @param snapshotId the snapshot
     * @param partition  the partition
     * @param syncNanos  time the partition thread spent taking it
     * @param completion completes when the files are in the snapshot store
     */
    public SnapshotHandle(long snapshotId, int partition, long syncNanos, CompletableFuture<SnapshotResult> completion) {
        this.snapshotId = snapshotId;
        this.partition = partition;
        this.syncNanos = syncNanos;
        this.completion = Objects.requireNonNull(completion, "completion");
    }

    /** @return the snapshot id */
    public long snapshotId() {
        return snapshotId;
    }

    /** @return the partition */
    public int partition() {
        return partition;
    }

    /** @return nanoseconds the partition thread spent taking the snapshot (freezing the dirty cache entries) */
    public long syncNanos() {
        return syncNanos;
    }

    /** @return completes with the result once the copy is done, or exceptionally if the snapshot failed */
    public CompletableFuture<SnapshotResult> completion() {
        return completion;
    }

    @Override
    public String toString() {
        return "snapshot " + snapshotId + " of partition " + partition + " (sync " + syncNanos / 1000 + " us, "
                + (completion.isDone() ? (completion.isCompletedExceptionally() ? "failed" : "copied") : "copying") + ")";
    }
}
