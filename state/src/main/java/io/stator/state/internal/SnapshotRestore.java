package io.stator.state.internal;

import io.stator.state.KeyGroupRange;
import io.stator.state.KeyGroups;
import io.stator.state.RestoreResult;
import io.stator.state.SnapshotCorruptedException;
import io.stator.state.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Restores one snapshot into an empty data folder laid out for a given partition count:
 *
 * <ol>
 *   <li>read the partition manifests and check they cover every key group;</li>
 *   <li>download every old partition's files into {@code <dataDir>/restore-staging/}, verifying sizes and
 *       CRC32C, before anything else is written (a damaged snapshot is refused before any work);</li>
 *   <li>apply each old partition's changelog segments to its checkpoint ({@link ChangelogReplay});</li>
 *   <li>for each new partition: if one old partition held exactly its key groups, move that checkpoint into
 *       place as it is, with a note of the manifest it came from ({@link RestoredLineage}); otherwise rebuild it
 *       from the old checkpoints' key-group ranges ({@link KeyGroupRewriter});</li>
 *   <li>delete the staging folder.</li>
 * </ol>
 *
 * On any failure the data folder is emptied again, so the caller can try another snapshot.
 */
public final class SnapshotRestore {
    private static final String STAGING = "restore-staging";
    /** Restore reads each old checkpoint once, sequentially: a small block cache and memtable suffice. */
    private static final long RESTORE_BLOCK_CACHE_BYTES = 16L << 20;
    private static final long RESTORE_WRITE_BUFFER_BYTES = 16L << 20;

    private final SnapshotStore store;

    /** @param store where the snapshot lives */
    public SnapshotRestore(SnapshotStore store) {
        this.store = store;
    }

    /**
     * Restores {@code snapshotId} into {@code dataDir}.
     *
     * @throws SnapshotCorruptedException naming the file if the snapshot is damaged or incomplete
     * @throws IOException                if the store or the disk fails
     * @throws IllegalStateException      if {@code dataDir} is not empty
     */
    public RestoreResult restore(long snapshotId, Path dataDir, int partitions, int maxParallelism)
            throws IOException, SnapshotCorruptedException {
        KeyGroups.validate(partitions, maxParallelism);
        if (!FileTrees.isMissingOrEmpty(dataDir)) {
            throw new IllegalStateException("cannot restore into " + dataDir + ": the folder is not empty");
        }
        long start = System.nanoTime();
        Files.createDirectories(dataDir);
        try {
            List<PartitionManifest> manifests = SnapshotManifests.readComplete(store, snapshotId, maxParallelism);
            Path staging = dataDir.resolve(STAGING);
            Map<Integer, Path> staged = new HashMap<>();
            long downloaded = 0;
            SnapshotDownloader downloader = new SnapshotDownloader(store);
            for (PartitionManifest m : manifests) {
                Path folder = staging.resolve(PartitionManifest.folderPath(m.partition()));
                downloaded += downloader.download(m, folder);
                staged.put(m.partition(), folder);
            }
            int reused = 0;
            long rewritten = 0;
            ChangelogReplay.Applied replayed;
            try (RocksDbResources resources = new RocksDbResources(RESTORE_BLOCK_CACHE_BYTES, RESTORE_WRITE_BUFFER_BYTES);
                 KeyGroupRewriter rewriter = new KeyGroupRewriter(resources, staging.resolve("sst"))) {
                replayed = replayChangelogs(snapshotId, manifests, staged, resources);
                for (int p = 0; p < partitions; p++) {
                    KeyGroupRange range = KeyGroups.rangeFor(p, partitions, maxParallelism);
                    Path target = PartitionStores.partitionDir(dataDir, p);
                    List<PartitionManifest> sources = overlapping(manifests, range);
                    if (sources.size() == 1 && sources.get(0).keyGroups().equals(range)) {
                        Files.move(staged.get(sources.get(0).partition()), target);
                        RestoredLineage.record(target, sources.get(0));
                        reused++;
                    } else {
                        List<KeyGroupRewriter.Source> inputs = new ArrayList<>();
                        for (PartitionManifest m : sources) {
                            inputs.add(new KeyGroupRewriter.Source(staged.get(m.partition()), m.keyGroups()));
                        }
                        rewritten += rewriter.rewrite(range, inputs, target);
                    }
                }
            }
            FileTrees.deleteRecursively(staging);
            return new RestoreResult(snapshotId, partitions, manifests.size(), downloaded, reused, rewritten,
                    replayed.segments(), replayed.files(), replayed.records(), System.nanoTime() - start);
        } catch (IOException | SnapshotCorruptedException | RuntimeException e) {
            emptyFolder(dataDir);
            throw e;
        }
    }

    /**
     * Applies every old partition's changelog to its checkpoint, partitions side by side.
     *
     * @return what all partitions' replays applied, summed
     */
    private static ChangelogReplay.Applied replayChangelogs(long snapshotId, List<PartitionManifest> manifests,
            Map<Integer, Path> staged, RocksDbResources resources) throws IOException, SnapshotCorruptedException {
        int threads = Math.min(manifests.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.numbered("stator-restore-replay"));
        try {
            List<Future<ChangelogReplay.Applied>> replays = new ArrayList<>();
            for (PartitionManifest m : manifests) {
                replays.add(pool.submit(() -> ChangelogReplay.applyAll(staged.get(m.partition()), resources,
                        "snapshot " + snapshotId + " partition " + m.partition())));
            }
            // Wait for every replay, even after a failure: the others still use the RocksDB resources, which the
            // caller closes, and write into the folders, which the caller deletes.
            Exception first = null;
            int segments = 0;
            int files = 0;
            long records = 0;
            for (Future<ChangelogReplay.Applied> replay : replays) {
                try {
                    ChangelogReplay.Applied applied = replay.get();
                    segments += applied.segments();
                    files += applied.files();
                    records += applied.records();
                } catch (ExecutionException e) {
                    first = first != null ? first : e.getCause() instanceof Exception cause ? cause
                            : new IOException("replaying the changelog of snapshot " + snapshotId + " failed: "
                            + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first = first != null ? first
                            : new IOException("interrupted while replaying the changelog of snapshot " + snapshotId, e);
                    break;
                }
            }
            if (first instanceof SnapshotCorruptedException c) {
                throw c;
            }
            if (first instanceof IOException io) {
                throw io;
            }
            if (first != null) {
                throw new IOException("replaying the changelog of snapshot " + snapshotId + " failed: " + first, first);
            }
            return new ChangelogReplay.Applied(segments, files, records);
        } finally {
            pool.shutdown();
        }
    }

    private static List<PartitionManifest> overlapping(List<PartitionManifest> sorted, KeyGroupRange range) {
        List<PartitionManifest> result = new ArrayList<>();
        for (PartitionManifest m : sorted) {
            if (m.keyGroups().first() <= range.last() && m.keyGroups().last() >= range.first()) {
                result.add(m);
            }
        }
        return result;
    }

    private static void emptyFolder(Path dataDir) {
        try (var entries = Files.list(dataDir)) {
            entries.forEach(FileTrees::deleteQuietly);
        } catch (IOException e) {
            FileTrees.deleteQuietly(dataDir);
        }
    }
}
