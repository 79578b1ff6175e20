package io.stator.state;

import io.stator.state.internal.SnapshotRestore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a snapshot from a {@link SnapshotStore} into a fresh data folder, for any partition count: new
 * partition {@code p} of {@code P} gets exactly the key groups {@code KeyGroups.rangeFor(p, P, maxParallelism)},
 * taken from whichever old partitions held them. A {@link RocksDbStateBackend} on that folder then opens the
 * restored partitions.
 *
 * <pre>{@code
 * Optional<RestoreResult> restored = new StateRestorer(snapshots).restoreLatestGood(dataDir, 3, 128);
 * RocksDbStateBackend backend = RocksDbStateBackend.builder().dataDir(dataDir).snapshotStore(snapshots).build();
 * }</pre>
 *
 * Every file is checked against the size and CRC32C its manifest records before anything is written; a damaged
 * snapshot is refused with a {@link SnapshotCorruptedException} naming the file, and the folder is left empty.
 */
public final class StateRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(StateRestorer.class);

    private final SnapshotStore store;

    /** @param store where the snapshots are */
    public StateRestorer(SnapshotStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Restores one snapshot.
     *
     * @param dataDir        the data folder to fill; must be missing or empty
     * @param partitions     the partition count to restore into
     * @param maxParallelism the key-group count; must equal the snapshot's
     * @throws SnapshotCorruptedException naming the file if a file is missing or damaged or the snapshot is
     *                                    incomplete; {@code dataDir} is empty afterwards
     * @throws IOException                if the store or the disk fails
     * @throws IllegalStateException      if {@code dataDir} is not empty
     */
    public RestoreResult restore(long snapshotId, Path dataDir, int partitions, int maxParallelism)
            throws IOException, SnapshotCorruptedException {
        RestoreResult result = new SnapshotRestore(store).restore(SnapshotStore.checkSnapshotId(snapshotId), dataDir,
                partitions, maxParallelism);
        LOG.info("restored snapshot {} ({} partitions) into {} partitions at {}: {} bytes read, {} changelog segments"
                        + " in {} files replayed ({} writes), {} partitions reused, {} values rewritten, {} ms",
                snapshotId, result.snapshotPartitions(), partitions, dataDir, result.bytesDownloaded(),
                result.changelogSegments(), result.changelogFiles(), result.changelogRecords(),
                result.partitionsReused(), result.entriesRewritten(), result.durationNanos() / 1_000_000);
        return result;
    }

    /**
     * Restores the newest snapshot that is complete and undamaged, skipping (and logging) damaged ones.
     *
     * @return the restore, or empty if the store holds no snapshot at all (a first start)
     * @throws SnapshotCorruptedException listing every snapshot's problem if snapshots exist but none is good
     * @throws IOException                if the store or the disk fails
     * @throws IllegalStateException      if {@code dataDir} is not empty
     */
    public Optional<RestoreResult> restoreLatestGood(Path dataDir, int partitions, int maxParallelism)
            throws IOException, SnapshotCorruptedException {
        List<Long> ids = store.snapshotIds();
        List<String> problems = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0; i--) {
            long id = ids.get(i);
            try {
                return Optional.of(restore(id, dataDir, partitions, maxParallelism));
            } catch (SnapshotCorruptedException e) {
                LOG.warn("skipping snapshot {}: {}", id, e.getMessage());
                problems.add(e.getMessage());
            }
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        throw new SnapshotCorruptedException("no restorable snapshot in " + store.describe() + ": "
                + String.join("; ", problems));
    }
}
