package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.SnapshotFailedException;
import io.stator.state.SnapshotResult;
import io.stator.state.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous half of a snapshot, shared by all partitions of a backend: on its own threads it copies a
 * local RocksDB checkpoint into the {@link SnapshotStore} (taking over the SST files the previous snapshot of the
 * same store holds, see {@link UploadLineage}; linking the others when the store can, see
 * {@link SnapshotStore#link}), computing each file's CRC32C, writes the partition manifest last, completes the
 * upload's future, and only then deletes the local checkpoint and applies retention, which are housekeeping that a
 * snapshot's commit need not wait for.
 *
 * <p>A failure (full disk, unreachable store) fails that upload's future with a {@link SnapshotFailedException}
 * naming the file; files already copied stay without a manifest, so the partition's part of that snapshot
 * does not count, and retention removes them once newer snapshots are complete.
 */
final class SnapshotUploader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotUploader.class);
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final SnapshotStore store;
    private final SnapshotRetention retention;
    private final int maxParallelism;
    private final ExecutorService executor;

    SnapshotUploader(SnapshotStore store, int threads, int retainedSnapshots, int maxParallelism) {
        this.store = store;
        this.retention = new SnapshotRetention(store, retainedSnapshots, maxParallelism);
        this.maxParallelism = maxParallelism;
        this.executor = Executors.newFixedThreadPool(threads, DaemonThreads.numbered("stator-snapshot-upload"));
    }

    /** @return the store snapshots go to */
    SnapshotStore store() {
        return store;
    }

    /**
     * Starts copying a checkpoint in the background; the checkpoint folder is deleted afterwards either way.
     *
     * @return completes with the result, or exceptionally with a {@link SnapshotFailedException}
     */
    CompletableFuture<SnapshotResult> upload(long snapshotId, int partition, KeyGroupRange keyGroups, Path checkpoint,
                                             long syncNanos, PartitionStateMetrics metrics, UploadLineage lineage) {
        CompletableFuture<SnapshotResult> uploaded = new CompletableFuture<>();
        executor.execute(() -> {
            long start = System.nanoTime();
            boolean ok = false;
            try {
                PartitionManifest manifest = copy(snapshotId, partition, keyGroups, checkpoint, lineage.newest());
                lineage.uploaded(manifest);
                long asyncNanos = System.nanoTime() - start;
                metrics.snapshotCompleted(asyncNanos, manifest.totalBytes());
                LOG.debug("snapshot {} of partition {}: {} files, {} bytes copied to {} in {} ms", snapshotId,
                        partition, manifest.files().size(), manifest.totalBytes(), store.describe(),
                        asyncNanos / 1_000_000);
                ok = uploaded.complete(new SnapshotResult(snapshotId, partition, keyGroups, manifest.files().size(),
                        manifest.totalBytes(), syncNanos, asyncNanos));
            } catch (RuntimeException e) { // a SnapshotFailedException naming the file, or a bug
                metrics.snapshotFailed();
                // Debug: the failure goes to the snapshot's handle, and whoever takes snapshots reports it (the
                // runtime's coordinator warns once, then once per 10 s while they keep failing).
                LOG.debug("{}", e instanceof SnapshotFailedException ? e.getMessage() : e.toString());
                uploaded.completeExceptionally(e);
            }
            // Housekeeping once the result is out, so that the snapshot's commit does not wait for it: deleting the
            // checkpoint's few files alone took 5-11 ms here.
            FileTrees.deleteQuietly(checkpoint);
            if (ok) {
                applyRetention();
            }
        });
        return uploaded;
    }

    /**
     * Starts storing, in the background, a checkpoint that a changelog snapshot took, as {@code
     * partition-<p>.checkpoint/} of snapshot {@code snapshotId} with no manifest; the local checkpoint folder is
     * deleted afterwards either way.
     *
     * @return completes with the stored files, or exceptionally with a {@link SnapshotFailedException}
     */
    CompletableFuture<List<PartitionManifest.FileEntry>> uploadCheckpoint(long snapshotId, int partition,
            Path checkpoint, UploadLineage lineage) {
        CompletableFuture<List<PartitionManifest.FileEntry>> uploaded = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                uploaded.complete(copyFiles(snapshotId, checkpointFolder(partition), checkpoint, lineage.newest(),
                        "partition " + partition + ": the background checkpoint beside snapshot " + snapshotId
                                + " cannot be stored"));
            } catch (RuntimeException e) {
                // Not the snapshot's failure: it is stored already. Only the chain it would have shortened stays.
                LOG.warn("{}; snapshot {} is not affected, the next snapshots stay changelogs and a later checkpoint"
                        + " tries again", e instanceof SnapshotFailedException ? e.getMessage() : e.toString(),
                        snapshotId);
                uploaded.completeExceptionally(e);
            }
            FileTrees.deleteQuietly(checkpoint);
        });
        return uploaded;
    }

    /** @return the snapshot-relative folder of a checkpoint stored by {@link #uploadCheckpoint} */
    static String checkpointFolder(int partition) {
        return PartitionManifest.folderPath(partition) + ".checkpoint";
    }

    /**
     * Writes a partition manifest whose files are already stored; on the caller's thread.
     *
     * @throws IOException if the store fails
     */
    PartitionManifest storeManifest(long snapshotId, int partition, KeyGroupRange keyGroups,
                                    List<PartitionManifest.FileEntry> files) throws IOException {
        PartitionManifest manifest = new PartitionManifest(snapshotId, partition, keyGroups, maxParallelism,
                System.currentTimeMillis(), files);
        store.write(snapshotId, manifest.manifestPath(), new ByteArrayInputStream(manifest.encode()));
        return manifest;
    }

    /** Applies retention on an upload thread, after a snapshot the uploader did not store itself. */
    void applyRetentionLater() {
        try {
            executor.execute(this::applyRetention);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the next run's first snapshot applies it
        }
    }

    /** Stores every file of the checkpoint into the partition's folder, then its manifest. */
    private PartitionManifest copy(long snapshotId, int partition, KeyGroupRange keyGroups, Path checkpoint,
                                   PartitionManifest previous) {
        List<PartitionManifest.FileEntry> files = copyFiles(snapshotId, PartitionManifest.folderPath(partition),
                checkpoint, previous, "snapshot " + snapshotId + " of partition " + partition + " failed");
        try {
            return storeManifest(snapshotId, partition, keyGroups, files);
        } catch (IOException | RuntimeException e) {
            throw new SnapshotFailedException("snapshot " + snapshotId + " of partition " + partition
                    + " failed: cannot store " + PartitionManifest.manifestPath(partition) + " in " + store.describe()
                    + ": " + e, e);
        }
    }

    /**
     * Stores every file of the checkpoint into {@code folder} of the snapshot, taking over the SST files the
     * previous snapshot of the same store already holds (unchanged by construction, so their recorded CRC32C still
     * holds) when the store can.
     *
     * @param failure how a failure's message starts, naming what could not be stored
     */
    private List<PartitionManifest.FileEntry> copyFiles(long snapshotId, String folder, Path checkpoint,
                                                        PartitionManifest previous, String failure) {
        List<PartitionManifest.FileEntry> files = new ArrayList<>();
        String current = checkpoint.toString();
        try {
            for (Path file : FileTrees.filesIn(checkpoint)) {
                String name = file.getFileName().toString();
                current = folder + "/" + name;
                PartitionManifest.FileEntry same = UploadLineage.reusable(previous, name, Files.size(file));
                if (same != null
                        && store.copyWithin(previous.snapshotId(), previous.filePath(same), snapshotId, current)) {
                    files.add(same);
                    continue;
                }
                // RocksDB forced every checkpoint file to disk (it syncs the files it copies or writes for a checkpoint,
                // and the SSTs it links in were synced when written), so storing one by a link needs no second copy and
                // no second force: copying with a force took 1-7 ms per file here, for four or five files a partition.
                // Only files the checkpoint owns alone are linked, though: an SST linked to the live database would tie
                // every later snapshot holding it, even after a reopen, to that one inode.
                boolean linked = ownedByCheckpointAlone(file) && store.link(snapshotId, current, file);
                CRC32C crc = new CRC32C();
                long size;
                try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
                    size = linked ? in.transferTo(OutputStream.nullOutputStream()) : store.write(snapshotId, current, in);
                }
                files.add(new PartitionManifest.FileEntry(name, size, (int) crc.getValue()));
            }
            return files;
        } catch (IOException | RuntimeException e) {
            throw new SnapshotFailedException(failure + ": cannot copy " + current + " to " + store.describe() + ": "
                    + e, e);
        }
    }

    /** @return whether the file has no other name (hard link) than its name in the checkpoint */
    private static boolean ownedByCheckpointAlone(Path file) throws IOException {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink")).intValue() == 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // not a Unix file system: copy
        }
    }

    private void applyRetention() {
        try {
            retention.apply();
        } catch (IOException | RuntimeException e) {
            // The snapshot itself is fine; old snapshots stay until the next successful upload retries.
            LOG.warn("snapshot retention in {} failed: {}", store.describe(), e.toString());
        }
    }

    /** Waits for running uploads to finish, then stops the threads. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("snapshot uploads to {} still running after {} s; abandoning them", store.describe(),
                        CLOSE_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
