package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.SnapshotCorruptedException;
import io.stator.state.SnapshotFailedException;
import io.stator.state.SnapshotResult;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous part of one partition store's snapshots, one snapshot at a time on the store's writer thread.
 * A snapshot is stored in one of two ways:
 *
 * <ul>
 *   <li><b>Full</b>: the frozen entries go into RocksDB, RocksDB takes a checkpoint, and the snapshot is complete
 *       once the uploader has stored the checkpoint's files and the partition manifest. The first snapshot of a
 *       store that opened with data (unless it was restored, unchanged, from a snapshot the store holds: see
 *       {@link RestoredLineage}), every snapshot after a failure, and every snapshot when
 *       {@code checkpointEvery} is 1 are full, and so is any snapshot the caller asks to be (the last before a
 *       stop, a savepoint: a restore of it replays nothing).</li>
 *   <li><b>Changelog</b>: the frozen entries are appended to the changelog segment that already holds every other
 *       RocksDB write of the partition since its previous snapshot ({@link ChangelogWriter}); the segment is
 *       forced to disk and stored, and a manifest listing the previous snapshot's files plus this segment is
 *       written (a store that opened empty starts with no files, and a restored one with the files of the snapshot
 *       it was restored from, so their first snapshots are changelogs too). The snapshot is complete then, after
 *       one small file and one manifest. The entries reach RocksDB afterwards, through the memtable. Once
 *       {@code checkpointEvery} snapshots have passed since the last checkpoint (or the segments since it exceed
 *       {@link #CHECKPOINT_CHANGELOG_BYTES}), RocksDB then takes a checkpoint while the partition goes on writing,
 *       and it is uploaded in the background to {@code partition-<p>.checkpoint/}. The first changelog snapshot after
 *       that upload takes the checkpoint over as its base and keeps only the segments written after it.</li>
 * </ul>
 *
 * Why: the full way puts sorting, an SST build, an ingestion and a checkpoint between a barrier and its commit,
 * 36-66 ms under load here, and every exactly-once output waits for that commit. The changelog way waits for one
 * forced file.
 *
 * <p>Any failure on the changelog way (a write error in the segment, a file of the previous snapshot gone with
 * retention) makes that snapshot full instead; any failure of a full snapshot fails it, and the next one is full
 * too, since the segment chain is then broken.
 */
final class SnapshotWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    /**
     * Changelog bytes since the last checkpoint past which a checkpoint is taken whatever the count: a restore
     * replays about this much per partition, plus the segment of the snapshot after it, at ~20 MB/s here. 64 MiB
     * made `bench W5`'s restart (1M counters, each written and evicted once) take 3.2 s instead of 0.4.
     */
    static final long CHECKPOINT_CHANGELOG_BYTES = 8L << 20;
    /**
     * How many parts one snapshot's segment may hold; past them the snapshot is taken full. At 1M keys W1 wrote
     * ~9 MB a second per partition, and with a one-file bound of 8 MiB half its snapshots fell back to full
     * checkpoints, four times as long (benchmarks/RESULTS.md, "Session 15"). It also bounds the disk a segment
     * takes with snapshots rare or off.
     */
    private static final int MAX_PARTS_PER_SEGMENT = 4;
    /**
     * How many times {@code checkpointEvery} segments a snapshot may hold before it is taken full: bounds the replay
     * of a restore when background checkpoints keep failing to be taken over.
     */
    private static final int MAX_SEGMENTS_PER_CHECKPOINT = 3;

    /**
     * A snapshot under way.
     *
     * @param written completes once RocksDB holds the frozen entries (and the checkpoint, if one was taken): from
     *                then on the partition may write to RocksDB again
     * @param durable completes once the partition's part of the snapshot is stored, or exceptionally with a
     *                {@link SnapshotFailedException}
     * @param stored  completes, on the changelog way only, once the changelog is stored and the next segment is
     *                ready ({@link #takeNextSegment}), before the entries are written through the memtable: from
     *                then on the partition may write keys the frozen entries do not hold (see
     *                {@link WriteBackCache#storedWhileFrozen}); never completes on the full way
     */
    record Started(CompletableFuture<Void> written, CompletableFuture<SnapshotResult> durable,
            CompletableFuture<Void> stored) {
    }

    /**
     * A background checkpoint, stored, that no snapshot has taken over yet.
     *
     * @param snapshotId the snapshot whose state it holds
     * @param storedIn   the snapshot folder it is stored in ({@link #storedIn})
     */
    private record StoredCheckpoint(long snapshotId, long storedIn, List<PartitionManifest.FileEntry> files) {
    }

    private final int partition;
    private final KeyGroupRange keyGroups;
    private final Path checkpoints;
    private final PartitionDb db;
    private final SnapshotUploader uploader;
    private final PartitionStateMetrics metrics;
    private final int checkpointEvery;
    /** The most bytes of one changelog file. */
    private final long partBytes;
    private final ExecutorService thread;
    private final UploadLineage lineage = new UploadLineage();
    private final AtomicReference<StoredCheckpoint> storedCheckpoint = new AtomicReference<>();

    // Writer thread only.
    /** The last snapshot whose writes since the one before are all accounted for; -1 if the chain is broken. */
    private long chainedThrough = -1;
    /**
     * Whether the store opened empty and has not snapshotted yet: its first snapshot's changelog then holds all
     * its state, with no checkpoint under it.
     */
    private boolean openedEmpty;
    private int sinceCheckpoint;
    private long changelogBytesSinceCheckpoint;
    private CompletableFuture<?> checkpointUpload = CompletableFuture.completedFuture(null);
    private long segmentSequence;
    /** The segment for the writes after the last snapshot; set before {@code stored} or {@code written} completes. */
    private volatile ChangelogWriter nextSegment;
    /** Runs on this thread just before a changelog snapshot's entries go through the memtable: tests hold it there. */
    private volatile Runnable beforeMemtableWrite = () -> { };

    /**
     * @param checkpointEvery a checkpoint every this many snapshots; 1 makes every snapshot full
     * @param partBytes       the most bytes of one changelog file
     * @param openedEmpty     whether the database holds nothing: then even the first snapshot can be a changelog,
     *                        recorded from the start ({@link #takeNextSegment} has its segment)
     * @param restored        the snapshot the database was restored from unchanged, or null: if the store holds
     *                        it, the first snapshot carries its files over and adds a changelog recorded from the
     *                        start
     */
    SnapshotWriter(int partition, KeyGroupRange keyGroups, Path checkpoints, PartitionDb db,
                   SnapshotUploader uploader, PartitionStateMetrics metrics, int checkpointEvery,
                   long partBytes, boolean openedEmpty, PartitionManifest restored) {
        this.partition = partition;
        this.keyGroups = keyGroups;
        this.checkpoints = checkpoints;
        this.db = db;
        this.uploader = uploader;
        this.metrics = metrics;
        this.checkpointEvery = checkpointEvery;
        this.partBytes = partBytes;
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("stator-snapshot-writer-" + partition));
        writer.prestartCoreThread(); // else the first snapshot's pause includes starting it
        this.thread = writer;
        if (openedEmpty && checkpointEvery > 1) {
            this.nextSegment = openSegment();
            this.openedEmpty = nextSegment != null;
        } else if (restored != null && checkpointEvery > 1 && storeHolds(restored)) {
            this.nextSegment = openSegment();
            if (nextSegment != null) {
                // Background checkpoints taken from now on are newer than the restored snapshot's base either way.
                lineage.stored(restored, restored.snapshotId());
                chainedThrough = restored.snapshotId();
                for (PartitionManifest.FileEntry f : restored.files()) {
                    if (ChangelogReplay.isSegment(f.name())) {
                        sinceCheckpoint += ChangelogReplay.startsSegment(f.name()) ? 1 : 0;
                        changelogBytesSinceCheckpoint += f.size();
                    }
                }
                LOG.info("partition {}: restored from snapshot {}, whose files its first snapshot carries over",
                        partition, restored.snapshotId());
            }
        }
    }

    /**
     * @return whether the snapshot store holds {@code restored} as it is (a restore from another store, such as a
     *         savepoint folder, leaves nothing here to carry over)
     */
    private boolean storeHolds(PartitionManifest restored) {
        try (var in = uploader.store().open(restored.snapshotId(), restored.manifestPath())) {
            return PartitionManifest.decode(in.readAllBytes(), restored.manifestPath()).equals(restored);
        } catch (IOException | SnapshotCorruptedException e) {
            return false;
        }
    }

    /**
     * Starts storing snapshot {@code snapshotId} on the writer thread.
     *
     * @param frozen  the entries the partition froze at the barrier
     * @param segment the changelog segment of the partition's RocksDB writes since its previous snapshot, detached
     *                from the partition at the barrier; null if none was recorded
     * @param full    whether to take the snapshot the full way even if a changelog would do
     */
    Started start(long snapshotId, FrozenEntries frozen, ChangelogWriter segment, boolean full, long syncNanos) {
        CompletableFuture<SnapshotResult> durable = new CompletableFuture<>();
        CompletableFuture<Void> stored = new CompletableFuture<>();
        // The full way queues its upload before `written` completes, so a close that waited for `written` finds
        // the upload queued and waits for it too.
        CompletableFuture<Void> written = CompletableFuture.runAsync(
                () -> write(snapshotId, frozen, full ? discarded(segment) : segment, syncNanos, durable, stored),
                thread);
        written.whenComplete((ok, error) -> {
            if (error != null) {
                durable.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
        return new Started(written, durable, stored);
    }

    /** For tests: runs {@code hook} on the writer thread before each changelog snapshot's memtable write. */
    void beforeMemtableWrite(Runnable hook) {
        this.beforeMemtableWrite = hook;
    }

    /** @return null, after deleting {@code segment}'s file if there is one (a checkpoint holds its writes) */
    private static ChangelogWriter discarded(ChangelogWriter segment) {
        if (segment != null) {
            segment.discard();
        }
        return null;
    }

    /**
     * On the partition thread, once {@code stored} or {@code written} completed (whichever it sees first): the
     * segment to record the partition's writes in from now on, or null if the next snapshot is full anyway.
     */
    ChangelogWriter takeNextSegment() {
        ChangelogWriter s = nextSegment;
        nextSegment = null;
        return s;
    }

    private void write(long snapshotId, FrozenEntries frozen, ChangelogWriter segment, long syncNanos,
                       CompletableFuture<SnapshotResult> durable, CompletableFuture<Void> stored) {
        long start = System.nanoTime();
        boolean chained = segment != null && (openedEmpty && lineage.newest() == null
                || chainedThrough >= 0 && lineage.newest() != null && lineage.newest().snapshotId() == chainedThrough);
        chainedThrough = -1; // until this snapshot's entries are in RocksDB
        openedEmpty = false;
        if (chained && storeChangelog(snapshotId, frozen, segment, syncNanos, start, durable)) {
            uploader.applyRetentionLater();
            nextSegment = openSegment(); // a changelog way has checkpointEvery > 1
            stored.complete(null);
            beforeMemtableWrite.run();
            try {
                writeThroughMemtable(snapshotId, frozen);
            } catch (SnapshotFailedException e) {
                // The snapshot is stored (its changelog has the entries); only the chain is broken.
                LOG.warn("{}; the snapshot itself is stored, the next one will be full", e.getMessage());
                throw e;
            }
            if (checkpointUpload.isDone()
                    && (sinceCheckpoint >= checkpointEvery
                            || changelogBytesSinceCheckpoint >= CHECKPOINT_CHANGELOG_BYTES)) {
                // Runs next on this thread, after `written` completes and before the next snapshot's write.
                try {
                    thread.execute(() -> takeBackgroundCheckpoint(snapshotId));
                } catch (RejectedExecutionException e) {
                    LOG.info("partition {}: closing, no checkpoint after snapshot {}", partition, snapshotId);
                }
            }
        } else {
            if (segment != null) {
                segment.discard(); // the checkpoint holds those writes
            }
            Path target = checkpointTarget(snapshotId);
            try {
                ingestAndCheckpoint(snapshotId, frozen, target);
            } catch (SnapshotFailedException e) {
                metrics.snapshotFailed();
                LOG.debug("{}", e.getMessage()); // thrown to whoever takes snapshots, who reports it
                throw e;
            }
            uploader.upload(snapshotId, partition, keyGroups, target, syncNanos, metrics, lineage)
                    .whenComplete((result, error) -> {
                        if (error != null) {
                            durable.completeExceptionally(error);
                        } else {
                            durable.complete(result);
                        }
                    });
            storedCheckpoint.set(null); // this snapshot is a newer base than any background checkpoint
            sinceCheckpoint = 0;
            changelogBytesSinceCheckpoint = 0;
            nextSegment = checkpointEvery > 1 ? openSegment() : null;
        }
        chainedThrough = snapshotId;
    }

    /**
     * The checkpoint of a changelog snapshot, taken once the partition may write to RocksDB again, and uploaded in
     * the background. The partition's writes since {@code snapshotId} may be in it too: they are all in the next
     * segment, which a restore from this checkpoint replays (segments hold whole values, so a write replayed onto
     * itself changes nothing). Taken before {@code written}, its flush of the memtable made partitions wait at
     * the next barrier (at 1M keys, 11 waits in 5 runs, against 1 in 3 runs this way: benchmarks/RESULTS.md,
     * "Session 14").
     *
     * <p>A failed checkpoint is logged; the chain of segments stays intact and the next snapshot tries again.
     */
    private void takeBackgroundCheckpoint(long snapshotId) {
        Path target = checkpointTarget(snapshotId);
        try {
            Files.createDirectories(checkpoints);
            FileTrees.deleteRecursively(target);
            db.checkpoint(target);
        } catch (IOException | RocksDBException | RuntimeException e) {
            FileTrees.deleteQuietly(target);
            LOG.warn("partition {}: the checkpoint after snapshot {} failed ({}); the next snapshot tries again",
                    partition, snapshotId, e.toString());
            return;
        }
        sinceCheckpoint = 0;
        changelogBytesSinceCheckpoint = 0;
        long storedIn = storedIn(snapshotId);
        checkpointUpload = uploader.uploadCheckpoint(storedIn, partition, target, lineage)
                .thenAccept(files -> storedCheckpoint.set(new StoredCheckpoint(snapshotId, storedIn, files)));
    }

    /** @return a new, empty segment file, or null (logged) if none can be created: the next snapshot is then full */
    private ChangelogWriter openSegment() {
        Path file = checkpoints.resolve("changelog-" + segmentSequence++);
        try {
            Files.deleteIfExists(file);
            return ChangelogWriter.create(file, partBytes, MAX_PARTS_PER_SEGMENT * partBytes);
        } catch (IOException e) {
            LOG.warn("partition {}: cannot create the changelog segment {} ({}); the next snapshot will be full",
                    partition, file, e.toString());
            return null;
        }
    }

    /**
     * The changelog way, up to the snapshot's completion.
     *
     * @return whether the snapshot is stored; false if it must be taken the full way (the reason is logged)
     */
    private boolean storeChangelog(long snapshotId, FrozenEntries frozen, ChangelogWriter segment, long syncNanos,
                                   long start, CompletableFuture<SnapshotResult> durable) {
        SnapshotStore store = uploader.store();
        String folder = PartitionManifest.folderPath(partition);
        try {
            db.recordFrozen(frozen, segment);
            if (segment.records() > 0) {
                segment.finish();
            }
            PartitionManifest previous = lineage.newest();
            StoredCheckpoint base = storedCheckpoint.get();
            if (base != null && base.snapshotId() <= lineage.newestBaseId()) {
                storedCheckpoint.compareAndSet(base, null);
                base = null; // stale: a full snapshot came after it
            }
            List<PartitionManifest.FileEntry> files = new ArrayList<>();
            if (base != null && !takeCheckpointOver(store, base, snapshotId, files)) {
                storedCheckpoint.compareAndSet(base, null);
                base = null;
                files.clear();
            }
            List<PartitionManifest.FileEntry> carried = carriedOver(previous, base);
            long segments = carried.stream().filter(f -> ChangelogReplay.startsSegment(f.name())).count();
            if (segments >= MAX_SEGMENTS_PER_CHECKPOINT * checkpointEvery) { // checked before anything is linked
                throw new IOException(segments + " changelog segments since the last checkpoint that was stored");
            }
            for (PartitionManifest.FileEntry f : carried) {
                take(store, previous.snapshotId(), previous.filePath(f), snapshotId, folder + "/" + f.name());
                files.add(f);
            }
            if (segment.records() > 0) {
                List<ChangelogWriter.Part> parts = segment.parts();
                for (int k = 0; k < parts.size(); k++) {
                    ChangelogWriter.Part part = parts.get(k);
                    String name = ChangelogReplay.fileName(snapshotId, k);
                    String path = folder + "/" + name;
                    if (!store.link(snapshotId, path, part.file())) {
                        try (var in = Files.newInputStream(part.file())) {
                            store.write(snapshotId, path, in);
                        }
                    }
                    files.add(new PartitionManifest.FileEntry(name, part.size(), part.crc32c()));
                }
            }
            PartitionManifest manifest = uploader.storeManifest(snapshotId, partition, keyGroups, files);
            lineage.stored(manifest, base != null ? base.snapshotId() : lineage.newestBaseId());
            if (base != null) {
                storedCheckpoint.compareAndSet(base, null);
            }
            sinceCheckpoint++;
            changelogBytesSinceCheckpoint += segment.size();
            long asyncNanos = System.nanoTime() - start;
            metrics.snapshotCompleted(asyncNanos, manifest.totalBytes());
            durable.complete(new SnapshotResult(snapshotId, partition, keyGroups, files.size(), manifest.totalBytes(),
                    syncNanos, asyncNanos));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.info("snapshot {} of partition {}: storing the changelog failed ({}); taking a full checkpoint instead",
                    snapshotId, partition, e.toString());
            return false;
        } finally {
            segment.discard(); // the store holds the segment by a link or a copy
        }
    }

    /**
     * @return the files of the previous snapshot this one keeps: all of them on the same base, only the segments
     *         written after {@code base} when it takes that checkpoint over, none after an empty start
     */
    private static List<PartitionManifest.FileEntry> carriedOver(PartitionManifest previous, StoredCheckpoint base) {
        if (previous == null) {
            return List.of();
        }
        if (base == null) {
            return previous.files();
        }
        return previous.files().stream().filter(f -> ChangelogReplay.isSegment(f.name())
                && ChangelogReplay.snapshotIdOf(f.name()) > base.snapshotId()).toList();
    }

    /**
     * Takes a background checkpoint's files over into this snapshot's folder.
     *
     * @return false (logged) if a file is gone (retention deleted its snapshot before this one could take it over);
     *         the snapshot then keeps the previous base, whose files it re-takes under the same names
     */
    private boolean takeCheckpointOver(SnapshotStore store, StoredCheckpoint base, long snapshotId,
                                       List<PartitionManifest.FileEntry> files) throws IOException {
        String from = SnapshotUploader.checkpointFolder(partition);
        String to = PartitionManifest.folderPath(partition);
        for (PartitionManifest.FileEntry f : base.files()) {
            if (!store.copyWithin(base.storedIn(), from + "/" + f.name(), snapshotId, to + "/" + f.name())) {
                LOG.info("snapshot {} of partition {}: the checkpoint of snapshot {} is gone before it could be taken"
                        + " over; keeping the previous one", snapshotId, partition, base.snapshotId());
                return false;
            }
            files.add(f);
        }
        return true;
    }

    private static void take(SnapshotStore store, long fromId, String fromPath, long toId, String toPath)
            throws IOException {
        if (!store.copyWithin(fromId, fromPath, toId, toPath)) {
            throw new IOException("cannot take " + fromPath + " over from snapshot " + fromId
                    + " (gone, or the store cannot share files)");
        }
    }

    /**
     * The folder a background checkpoint of snapshot {@code snapshotId} goes to: the next snapshot's. Retention
     * deletes only snapshots older than a complete one, so that folder stays until a snapshot after the next one
     * completes, while the checkpoint's own snapshot may already be due for deletion (with one snapshot retained,
     * as soon as the next completes).
     */
    private static long storedIn(long snapshotId) {
        return snapshotId + 1;
    }

    private Path checkpointTarget(long snapshotId) {
        return checkpoints.resolve(Long.toString(snapshotId));
    }

    /**
     * After a changelog snapshot (stored already): the frozen entries into RocksDB through the memtable. As an
     * ingested SST file, each snapshot added a small file to level 0, and RocksDB first flushed the memtable
     * whenever it held keys in the file's range (evictions put them there): at 1M keys that was a compaction of
     * the whole database every couple of snapshots (benchmarks/RESULTS.md, "Session 14"). They are sorted first:
     * RocksDB inserts keys in order into its memtable far more cheaply (at 1M keys the writers spent ~12 s a run
     * sorted against ~17.5 s unsorted).
     *
     * @throws SnapshotFailedException naming the partition and the cause
     */
    private void writeThroughMemtable(long snapshotId, FrozenEntries frozen) {
        try {
            db.writeThroughMemtable(frozen.sortedByKey());
        } catch (RocksDBException | RuntimeException e) {
            throw new SnapshotFailedException("snapshot " + snapshotId + " of partition " + partition
                    + " failed: cannot write its entries to RocksDB: " + e, e);
        }
    }

    /**
     * A full snapshot: the frozen entries into RocksDB as one ingested SST file, then a checkpoint into
     * {@code target}. Its commit waits for both, and through the memtable the checkpoint would flush the entries
     * straight back out.
     *
     * @throws SnapshotFailedException naming the partition and the cause
     */
    private void ingestAndCheckpoint(long snapshotId, FrozenEntries frozen, Path target) {
        Path sst = checkpoints.resolve(snapshotId + ".sst");
        try {
            Files.createDirectories(checkpoints);
            Files.deleteIfExists(sst);
            db.ingestSorted(frozen.sortedByKey(), sst);
            FileTrees.deleteRecursively(target);
            db.checkpoint(target);
        } catch (IOException | RocksDBException | RuntimeException e) {
            FileTrees.deleteQuietly(target);
            FileTrees.deleteQuietly(sst);
            throw new SnapshotFailedException("snapshot " + snapshotId + " of partition " + partition
                    + " failed: cannot checkpoint into " + target + ": " + e, e);
        }
    }

    /**
     * Stops the writer thread and waits until its queued work is done (a background checkpoint uses the database,
     * which the caller closes next), then deletes an unused segment.
     */
    @Override
    public void close() {
        thread.shutdown();
        boolean interrupted = false;
        while (!thread.isTerminated()) {
            try {
                thread.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // the database must not close under the checkpoint
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        ChangelogWriter s = takeNextSegment();
        if (s != null) {
            s.discard();
        }
    }
}
